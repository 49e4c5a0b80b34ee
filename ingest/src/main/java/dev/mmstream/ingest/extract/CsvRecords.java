package dev.mmstream.ingest.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV as spreadsheets and Python's csv module write it: comma-separated, fields optionally
 * in double quotes (which may hold commas, newlines and doubled quotes), LF or CRLF line ends, an
 * optional UTF-8 byte-order mark. Blank lines are skipped. Each record keeps the line it starts on,
 * so messages can point at it.
 */
public final class CsvRecords {
  /** One record and the 1-based line it starts on. */
  public record Line(int number, List<String> fields) {
    public Line {
      fields = List.copyOf(fields);
    }
  }

  private CsvRecords() {}

  public static List<Line> parse(String text) {
    String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    var records = new ArrayList<Line>();
    var fields = new ArrayList<String>();
    var field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean fieldStarted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        endRecord(records, recordLine, fields, field, fieldStarted);
        fieldStarted = false;
        line++;
        recordLine = line;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("line " + recordLine + ": a quoted field is never closed (missing '\"')");
    }
    endRecord(records, recordLine, fields, field, fieldStarted);
    return records;
  }

  private static void endRecord(List<Line> records, int line, List<String> fields, StringBuilder field, boolean started) {
    if (started || field.length() > 0 || !fields.isEmpty()) {
      fields.add(field.toString());
      records.add(new Line(line, fields));
    }
    fields.clear();
    field.setLength(0);
  }
}
