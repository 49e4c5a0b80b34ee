package dev.mmstream.ingest.catalogue;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trailer's catalogue fields as the metadata input of a genre model, layout v1 ({@value #DIMENSION} values):
 * {@code (year - 2000) / 10}, has year, {@code (runtime minutes - 100) / 20}, has runtime, has title, has plot,
 * then the title's and the plot's text embeddings ({@value #TEXT_DIM} each). A missing field is 0 with its flag 0,
 * so "unknown" never reads as a real year or runtime. The centring keeps the raw values near the unit range; the
 * model standardizes them further with its training statistics.
 */
public final class MetadataVector {
  public static final int VERSION = 1;
  static final int TEXT_DIM = 384;
  static final int SCALARS = 6;
  public static final int DIMENSION = SCALARS + 2 * TEXT_DIM;
  private static final Pattern YEAR = Pattern.compile("(?<![0-9])(1[89][0-9]{2}|2[01][0-9]{2})(?![0-9])");
  private static final Pattern HOURS_MINUTES = Pattern.compile("(?i)^\\s*(\\d+)\\s*h(?:ours?|rs?)?\\s*(?:(\\d+)\\s*m(?:in(?:utes?)?)?)?\\s*$");
  private static final Pattern MINUTES = Pattern.compile("(?i)^\\s*(\\d+(?:\\.\\d+)?)\\s*(?:m|min|mins|minutes)?\\s*$");
  private static final Pattern ISO = Pattern.compile("(?i)^\\s*PT(?:(\\d+)H)?(?:(\\d+)M)?\\s*$");

  private MetadataVector() {}

  /** The spec id of vectors built with this layout over text embeddings of {@code textSpecId}. */
  public static String specId(String textSpecId) {
    return String.format(Locale.ROOT, "metadata@v%d(year,runtime,title,plot;%s)", VERSION, textSpecId);
  }

  /** A year from 1800 to 2199 in the field ({@code 1994}, {@code "1994-05-01"}); empty when there is none. */
  public static OptionalInt year(String field) {
    if (field == null) {
      return OptionalInt.empty();
    }
    Matcher m = YEAR.matcher(field);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** Runtime in minutes from {@code 94}, {@code "94 min"}, {@code "1h 34m"} or {@code "PT1H34M"}; empty otherwise. */
  public static OptionalDouble runtimeMinutes(String field) {
    if (field == null) {
      return OptionalDouble.empty();
    }
    Matcher m = MINUTES.matcher(field);
    if (m.matches()) {
      return positive(Double.parseDouble(m.group(1)));
    }
    m = HOURS_MINUTES.matcher(field);
    if (m.matches()) {
      return positive(60.0 * Integer.parseInt(m.group(1)) + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }
    m = ISO.matcher(field);
    if (m.matches() && (m.group(1) != null || m.group(2) != null)) {
      return positive(60.0 * (m.group(1) == null ? 0 : Integer.parseInt(m.group(1)))
          + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }
    return OptionalDouble.empty();
  }

  /**
   * @param title the title's embedding, or null when the trailer has no title
   * @param plot the plot's embedding, or null when it has no plot
   */
  public static float[] of(OptionalInt year, OptionalDouble runtimeMinutes, float[] title, float[] plot) {
    float[] v = new float[DIMENSION];
    if (year.isPresent()) {
      v[0] = (year.getAsInt() - 2000) / 10f;
      v[1] = 1f;
    }
    if (runtimeMinutes.isPresent()) {
      v[2] = (float) ((runtimeMinutes.getAsDouble() - 100) / 20);
      v[3] = 1f;
    }
    put(v, 4, SCALARS, title);
    put(v, 5, SCALARS + TEXT_DIM, plot);
    return v;
  }

  private static void put(float[] v, int flag, int at, float[] embedding) {
    if (embedding == null) {
      return;
    }
    if (embedding.length != TEXT_DIM) {
      throw new IllegalArgumentException("a text embedding has " + TEXT_DIM + " values, got " + embedding.length);
    }
    v[flag] = 1f;
    System.arraycopy(embedding, 0, v, at, TEXT_DIM);
  }

  private static OptionalDouble positive(double minutes) {
    return minutes > 0 && minutes < 24 * 60 ? OptionalDouble.of(minutes) : OptionalDouble.empty();
  }
}
