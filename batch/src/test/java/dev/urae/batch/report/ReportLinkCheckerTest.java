package dev.urae.batch.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.infra.store.FileObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportLinkCheckerTest {
  @TempDir Path dir;

  @Test
  void listsTheLinksOfTagsOnlyWithEntitiesDecoded() {
    // given text that merely mentions href=, and attributes in three quoting styles
    String html = "<p>see href=nowhere.png &lt;a href=\"x\"&gt;</p>"
        + "<a href=\"a.png?v=1&amp;w=2\">a</a><img src='b.png'><link rel=stylesheet href=c.css>";
    // when / then
    assertThat(ReportLinkChecker.links(html)).containsExactly("a.png?v=1&w=2", "b.png", "c.css");
  }

  @Test
  void reportsEachBrokenLinkWithItsReason() throws Exception {
    // given a page in report/ beside an existing image and a key with a space in its name
    FileObjectStore store = new FileObjectStore(dir);
    store.put("run/render/ok.png", new byte[] {1});
    store.put("run/render/with space.png", new byte[] {1});
    String html = "<a href=\"../render/ok.png\">ok</a>"
        + "<a href=\"../render/with%20space.png#top\">spaced</a>"
        + "<a href=\"#gallery\">anchor</a><img src=\"data:image/png;base64,AAAA\">"
        + "<a href=\"../render/gone.png\">gone</a>"
        + "<a href=\"https://example.com/x.png\">external</a>"
        + "<a href=\"../../../etc/passwd\">escape</a>"
        + "<a href=\"/abs.png\">rooted</a>";
    store.put("run/report/index.html", html.getBytes(StandardCharsets.UTF_8));
    // when
    ReportLinkChecker.Result result = ReportLinkChecker.check(store, "run/report/index.html");
    // then
    assertThat(result.links()).hasSize(8);
    assertThat(result.ok()).isFalse();
    assertThat(result.broken()).extracting(ReportLinkChecker.BrokenLink::link).containsExactly(
        "../render/gone.png", "https://example.com/x.png", "../../../etc/passwd", "/abs.png");
    assertThat(result.broken().get(0).reason()).isEqualTo("no object run/render/gone.png");
    assertThat(result.broken().get(1).reason()).contains("self-contained");
    assertThat(result.broken().get(2).reason()).contains("outside the store");
  }
}
