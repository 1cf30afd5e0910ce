package dev.urae.batch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestScannerTest {
  private final List<LineVerdict> verdicts = new ArrayList<>();

  private ValidationSummary scan(ManifestFormat format, byte[] bytes) throws IOException {
    return new ManifestScanner(format, new ItemDefaults(1024, 768))
        .scan(new ByteArrayInputStream(bytes), verdicts::add);
  }

  private ValidationSummary scan(String text) throws IOException {
    return scan(ManifestFormat.JSONL, text.getBytes(StandardCharsets.UTF_8));
  }

  private String reasonFor(String line) throws IOException {
    scan(line + "\n");
    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0)).isInstanceOf(LineVerdict.Rejected.class);
    return ((LineVerdict.Rejected) verdicts.get(0)).reason();
  }

  @Test
  void acceptsAFullLineAndResolvesNothingItWasGiven() throws IOException {
    // given
    String line = "{\"prompt\":\"a red fox\",\"id\":\"fox-1\",\"generated_prompt\":\"a detailed red fox\","
        + "\"seed\":42,\"width\":2048,\"height\":1024,\"tags\":{\"set\":\"a\"}}";
    // when
    ValidationSummary summary = scan(line);
    // then
    assertThat(summary).isEqualTo(new ValidationSummary(1, 1, 0, 0));
    ManifestItem item = ((LineVerdict.Accepted) verdicts.get(0)).item();
    assertThat(item).isEqualTo(new ManifestItem(1, "fox-1", "a red fox", "a detailed red fox", 42, 2048, 1024,
        java.util.Map.of("set", "a")));
  }

  @Test
  void fillsDefaultsStablyFromTheLineAndTheId() throws IOException {
    // given
    String line = "{\"prompt\":\"a red fox\"}";
    // when
    scan(line + "\n" + "{\"prompt\":\"a red fox\",\"id\":\"x\"}\n");
    // then
    ManifestItem item = ((LineVerdict.Accepted) verdicts.get(0)).item();
    assertThat(item.id()).matches("line-[0-9a-f]{20}");
    assertThat(item.seed()).isEqualTo(ManifestLineParser.defaultSeed(item.id())).isNotNegative();
    assertThat(item.width()).isEqualTo(1024);
    assertThat(item.height()).isEqualTo(768);
    verdicts.clear();
    scan(line);
    assertThat(((LineVerdict.Accepted) verdicts.get(0)).item().id()).isEqualTo(item.id());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {"promt":"x"}                              | unknown field 'promt'
      {"prompt":"x","extra":1}                   | unknown field 'extra'
      {}                                          | missing required field 'prompt'
      {"prompt":"   "}                          | 'prompt' must not be blank
      {"prompt":7}                               | 'prompt' must be a string, got an integer
      {"prompt":null}                            | 'prompt' must be a string, got null
      {"prompt":"x","id":"has space"}            | 'id' must be 1 to 128 of [A-Za-z0-9._-]
      {"prompt":"x","id":""}                     | 'id' must be 1 to 128 of [A-Za-z0-9._-]
      {"prompt":"x","id":5}                      | 'id' must be a string, got an integer
      {"prompt":"x","seed":-1}                   | 'seed' must be from 0 to 2^63-1, got -1
      {"prompt":"x","seed":9223372036854775808}  | 'seed' must be from 0 to 2^63-1, got 9223372036854775808
      {"prompt":"x","seed":1.5}                  | 'seed' must be an integer, got a number with a fraction
      {"prompt":"x","seed":"7"}                  | 'seed' must be an integer, got a string
      {"prompt":"x","width":17}                  | 'width' must be a multiple of 16, got 17
      {"prompt":"x","height":8208}               | 'height' must be from 16 to 8192, got 8208
      {"prompt":"x","width":0}                   | 'width' must be from 16 to 8192, got 0
      {"prompt":"x","width":true}                | 'width' must be an integer, got a boolean
      {"prompt":"x","tags":["a"]}                | 'tags' must be an object of strings, got an array
      {"prompt":"x","tags":{"k":1}}              | 'tags.k' must be a string, got an integer
      {"prompt":"x","prompt":"y"}                | duplicate field 'prompt'
      [1,2]                                       | expected a JSON object, got an array
      "just a string"                             | expected a JSON object, got a string
      {"prompt":"x"} {"prompt":"y"}               | unexpected content after the JSON object
      {"prompt":"x"                               | invalid JSON
      not json                                    | invalid JSON: Unrecognized token 'not'
      """)
  void rejectsEachBadLineWithAPreciseReason(String line, String reason) throws IOException {
    assertThat(reasonFor(line.strip())).startsWith(reason);
  }

  @Test
  void rejectsPromptsOverTheLengthLimitCountingCharactersNotBytes() throws IOException {
    // given: 4000 two-byte characters are fine, 4001 are not
    String ok = "é".repeat(4000);
    // when
    ValidationSummary summary = scan("{\"prompt\":\"" + ok + "\"}\n{\"prompt\":\"" + ok + "é\"}\n");
    // then
    assertThat(summary.accepted()).isEqualTo(1);
    assertThat(((LineVerdict.Rejected) verdicts.get(1)).reason()).contains("4001 characters long, at most 4000");
  }

  @Test
  void rejectsDuplicateIdsNamingTheFirstLine() throws IOException {
    // when
    scan("{\"prompt\":\"a\",\"id\":\"same\"}\n{\"prompt\":\"b\",\"id\":\"other\"}\n{\"prompt\":\"c\",\"id\":\"same\"}\n");
    // then
    assertThat(verdicts.get(2)).isEqualTo(new LineVerdict.Rejected(3, "duplicate id 'same' (first used on line 1)"));
  }

  @Test
  void rejectsInvalidUtf8WithTheBytePosition() throws IOException {
    // given: a lone continuation byte inside the prompt
    byte[] line = "{\"prompt\":\"caf?\"}\n".getBytes(StandardCharsets.US_ASCII);
    line[14] = (byte) 0x80;
    // when
    scan(ManifestFormat.JSONL, line);
    // then
    assertThat(verdicts.get(0)).isEqualTo(new LineVerdict.Rejected(1, "invalid UTF-8 at byte 15 of the line"));
  }

  @Test
  void rejectsOverlongLinesWithoutLosingTheLinesAfterThem() throws IOException {
    // given: a 70 KiB line between two good ones
    String huge = "{\"prompt\":\"" + "x".repeat(70 * 1024) + "\"}";
    // when
    ValidationSummary summary = scan("{\"prompt\":\"a\"}\n" + huge + "\n{\"prompt\":\"b\"}\n");
    // then
    assertThat(summary).isEqualTo(new ValidationSummary(3, 2, 1, 0));
    assertThat(verdicts.get(1)).isEqualTo(new LineVerdict.Rejected(2, "line is longer than 65536 bytes"));
    assertThat(verdicts.get(2).line()).isEqualTo(3);
  }

  @Test
  void acceptsBomAndCrlfAndCountsBlankLines() throws IOException {
    // given
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "{\"prompt\":\"a\"}\r\n\r\n   \r\n{\"prompt\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, bytes, 0, 3);
    System.arraycopy(body, 0, bytes, 3, body.length);
    // when
    ValidationSummary summary = scan(ManifestFormat.JSONL, bytes);
    // then: the last line has no line end and still counts
    assertThat(summary).isEqualTo(new ValidationSummary(4, 2, 0, 2));
    assertThat(((LineVerdict.Accepted) verdicts.get(3)).item().prompt()).isEqualTo("b");
  }

  @Test
  void readsTextManifestsAsOnePromptPerLine() throws IOException {
    // when
    ValidationSummary summary = scan(ManifestFormat.TEXT,
        "a cat on a mat\n\n{\"not\":\"json, just text\"}\n".getBytes(StandardCharsets.UTF_8));
    // then
    assertThat(summary).isEqualTo(new ValidationSummary(3, 2, 0, 1));
    assertThat(((LineVerdict.Accepted) verdicts.get(2)).item().prompt()).isEqualTo("{\"not\":\"json, just text\"}");
  }

  @Test
  void nullMeansAbsentForOptionalFields() throws IOException {
    // when
    scan("{\"prompt\":\"a\",\"seed\":null,\"tags\":null,\"generated_prompt\":null}");
    // then
    ManifestItem item = ((LineVerdict.Accepted) verdicts.get(0)).item();
    assertThat(item.generatedPrompt()).isNull();
    assertThat(item.seed()).isEqualTo(ManifestLineParser.defaultSeed(item.id()));
  }
}
