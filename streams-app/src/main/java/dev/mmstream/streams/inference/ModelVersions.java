package dev.mmstream.streams.inference;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Orders model_version strings naturally: runs of digits compare as numbers, other runs as text, so
 * the training export's {@code <yyyyMMddHHmmss>-<commit>} orders by time and "v10" follows "v9".
 */
final class ModelVersions {
  static final Comparator<String> ORDER = ModelVersions::compare;

  private ModelVersions() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ei = runEnd(a, i);
      int ej = runEnd(b, j);
      String ra = a.substring(i, ei);
      String rb = b.substring(j, ej);
      boolean da = Character.isDigit(ra.charAt(0));
      boolean db = Character.isDigit(rb.charAt(0));
      int c = da && db ? new BigInteger(ra).compareTo(new BigInteger(rb)) : ra.compareTo(rb);
      if (c != 0) {
        return c;
      }
      i = ei;
      j = ej;
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static int runEnd(String s, int start) {
    boolean digit = Character.isDigit(s.charAt(start));
    int end = start + 1;
    while (end < s.length() && Character.isDigit(s.charAt(end)) == digit) {
      end++;
    }
    return end;
  }
}
