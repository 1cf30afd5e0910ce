package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlanCommandTest {
  @Test
  void vaeTileTakesTheSyntaxOfTheVaeTileOption() {
    // when the same 4K render is planned with a side, a side and overlap, and tiling off
    String side = plan("--vae-tile", "512");
    String sideAndOverlap = plan("--vae-tile", "512/128");
    String off = plan("--vae-tile", "off");

    // then the overlap does not change the peak (one tile at a time), and off counts the whole image
    assertThat(vaeDecodeRow(sideAndOverlap)).isEqualTo(vaeDecodeRow(side));
    assertThat(gib(vaeDecodeRow(off))).isGreaterThan(10 * gib(vaeDecodeRow(side)));
  }

  @Test
  void aTileOffTheLatentGridIsRefusedNamingTheOption() {
    // given
    StringWriter err = new StringWriter();
    CommandLine cli = UraeMain.newCommandLine();
    cli.setErr(new PrintWriter(err));

    // when
    int exit = cli.execute("plan", "--model", "flux-dev", "--width", "4096", "--height", "4096", "--vae-tile", "1000/300");

    // then
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--vae-tile '1000/300'").contains("multiples of 8").contains("1024/256");
  }

  private static String plan(String... vaeTile) {
    StringWriter out = new StringWriter();
    CommandLine cli = UraeMain.newCommandLine();
    cli.setOut(new PrintWriter(out));
    String[] args = {"plan", "--model", "flux-dev", "--width", "4096", "--height", "4096", "--device-memory", "141GiB", vaeTile[0], vaeTile[1]};
    cli.execute(args);
    return out.toString();
  }

  private static String vaeDecodeRow(String table) {
    return table.lines().filter(l -> l.startsWith("render: VAE decode")).findFirst().orElseThrow(() -> new AssertionError(table));
  }

  /** The row's total, its last GiB figure before the fit column. */
  private static double gib(String row) {
    String[] cells = row.trim().split("\\s+");
    for (int i = cells.length - 1; i >= 0; i--) {
      if (cells[i].matches("\\d+\\.\\d")) return Double.parseDouble(cells[i]);
    }
    throw new AssertionError("no figure in " + row);
  }
}
