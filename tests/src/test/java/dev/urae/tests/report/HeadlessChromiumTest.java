package dev.urae.tests.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.tests.support.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check itself: it must catch a broken image and a console error, or report tests prove nothing. */
class HeadlessChromiumTest {
  @TempDir Path folder;

  @Test
  void aBrokenImageAndAConsoleErrorAreReportedAndAGoodImageLoads() throws Exception {
    // given a page with one image that exists, one that does not, and a script that logs an error
    ImageIO.write(new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("good.png").toFile());
    Path page = folder.resolve("index.html");
    Files.writeString(page, """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
        <img src="good.png" alt="good"><img src="missing.png" alt="missing">
        <script>console.error("something broke")</script>
        </body></html>
        """);

    // when
    HeadlessChromium.PageLoad load;
    try (HeadlessChromium browser = HeadlessChromium.start(Duration.ofSeconds(60))) {
      load = browser.load(page, Duration.ofSeconds(60));
    }

    // then
    assertThat(load.images()).extracting(HeadlessChromium.PageImage::src).containsExactly("good.png", "missing.png");
    assertThat(load.brokenImages()).extracting(HeadlessChromium.PageImage::src).containsExactly("missing.png");
    assertThat(load.images().get(0).naturalWidth()).isEqualTo(8);
    assertThat(load.consoleErrors()).anyMatch(e -> e.contains("something broke")).anyMatch(e -> e.contains("missing.png"));
  }
}
