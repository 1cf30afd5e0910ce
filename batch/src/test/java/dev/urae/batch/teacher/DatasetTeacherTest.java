package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.infra.store.FileObjectStore;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTeacherTest {
  @TempDir Path dir;

  @Test
  void servesAnImageAtTheBucketNearestItsAspectWithItsCaption() throws Exception {
    // given one 2:1 photo captioned in a text file
    write("wide.png", TestImages.encode(TestImages.solid(400, 200, Color.ORANGE), "png"));
    write("wide.txt", "  an orange horizon \n");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).optBucketStride(16).build();
    // when the stage asks for 64x64 (4096 pixels)
    TeacherResult result = teacher.generate(new TeacherRequest("item-1", "ignored prompt", 3, 64, 64));
    // then the image comes back 96x48: 2:1 at about 4096 pixels, sides multiples of 16
    TeacherImage image = (TeacherImage) result;
    assertThat(image.width()).isEqualTo(96);
    assertThat(image.height()).isEqualTo(48);
    BufferedImage decoded = TestImages.decode(image.png());
    assertThat(decoded.getWidth()).isEqualTo(96);
    assertThat(decoded.getHeight()).isEqualTo(48);
    assertThat(TestImages.near(TestImages.colorAt(decoded, 50, 20), Color.ORANGE, 2)).isTrue();
    assertThat(image.caption()).isEqualTo("an orange horizon");
    assertThat(image.prompt()).isEqualTo("an orange horizon");
    assertThat(image.source()).isEqualTo("dataset:wide.png");
  }

  @Test
  void cropsTheOverflowFromTheCentre() throws Exception {
    // given a 3:1 image whose outer sixths are green: covering 2:1 must crop exactly those
    write("pano.png", TestImages.encode(TestImages.bands(600, 200, 100, Color.GREEN, Color.BLUE), "png"));
    write("pano.json", "{\"caption\": \"a blue wall\"}");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).optBucketStride(16).build();
    // when
    TeacherImage image = (TeacherImage) teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64));
    // then every corner and edge pixel is blue, not green
    BufferedImage decoded = TestImages.decode(image.png());
    assertThat(image.width()).isEqualTo(96);
    for (int x : new int[] {0, 1, 47, 94, 95}) {
      for (int y : new int[] {0, 24, 47}) {
        assertThat(TestImages.near(TestImages.colorAt(decoded, x, y), Color.BLUE, 8))
            .as("pixel %d,%d", x, y).isTrue();
      }
    }
    assertThat(image.caption()).isEqualTo("a blue wall");
  }

  @Test
  void withoutBucketsTheRequestedSizeIsServedExactly() throws Exception {
    // given
    write("wide.jpg", TestImages.encode(TestImages.solid(400, 200, Color.GRAY), "jpg"));
    write("wide.txt", "grey");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).optBuckets(false).build();
    // when
    TeacherImage image = (TeacherImage) teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64));
    // then
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(64);
    assertThat(TestImages.decode(image.png()).getWidth()).isEqualTo(64);
  }

  @Test
  void assignsImagesDeterministicallyAndSpreadsThem() throws Exception {
    // given five captioned images in nested folders
    for (int i = 0; i < 5; i++) {
      write("set/sub" + i % 2 + "/img" + i + ".png", TestImages.png(64, 64, new Color(40 * i, 0, 0)));
      write("set/sub" + i % 2 + "/img" + i + ".txt", "image " + i);
    }
    FileObjectStore store = new FileObjectStore(dir);
    DatasetTeacher first = DatasetTeacher.builder().setStore(store, "set/").build();
    DatasetTeacher second = DatasetTeacher.builder().setStore(store, "set/").build();
    // when twenty items are asked of each teacher
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      TeacherRequest request = new TeacherRequest("item-" + i, "p", 1000 + i, 64, 64);
      TeacherImage a = (TeacherImage) first.generate(request);
      TeacherImage b = (TeacherImage) second.generate(request);
      // then both choose the same image with its own caption
      assertThat(a.source()).isEqualTo(b.source());
      assertThat(a.png()).isEqualTo(b.png());
      assertThat(a.caption()).isEqualTo("image " + a.source().replaceAll(".*img(\\d)\\.png", "$1"));
      used.add(a.source());
    }
    assertThat(first.imageCount()).isEqualTo(5);
    assertThat(used).hasSizeGreaterThanOrEqualTo(3);
    assertThat(first.fingerprint()).isEqualTo(second.fingerprint());
  }

  @Test
  void theFingerprintChangesWhenTheDatasetChanges() throws Exception {
    // given
    write("a.png", TestImages.png(64, 64, Color.RED));
    write("a.txt", "red");
    String before = DatasetTeacher.builder().setLocation(dir.toString()).build().fingerprint();
    // when
    write("b.png", TestImages.png(64, 64, Color.RED));
    write("b.txt", "another red");
    String after = DatasetTeacher.builder().setLocation(dir.toString()).build().fingerprint();
    // then
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void imagesWithoutCaptionsAreIgnored() throws Exception {
    // given
    write("captioned.png", TestImages.png(64, 64, Color.RED));
    write("captioned.txt", "red");
    write("bare.png", TestImages.png(64, 64, Color.BLUE));
    write(".hidden.png", TestImages.png(64, 64, Color.BLUE));
    write(".hidden.txt", "hidden");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).build();
    // when
    int count = teacher.imageCount();
    // then
    assertThat(count).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      TeacherImage image = (TeacherImage) teacher.generate(new TeacherRequest("i" + i, "p", i, 64, 64));
      assertThat(image.source()).isEqualTo("dataset:captioned.png");
    }
  }

  @Test
  void anImageTooSmallForTheTargetIsRefusedForThatItem() throws Exception {
    // given a 32x32 image and a 64x64 target: 2x enlargement, more than the 1.25 allowed
    write("tiny.png", TestImages.png(32, 32, Color.RED));
    write("tiny.txt", "tiny");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).build();
    // when
    TeacherResult result = teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64));
    // then
    assertThat(result).isInstanceOfSatisfying(Refusal.class, refusal -> {
      assertThat(refusal.reason()).isEqualTo(Refusal.UNUSABLE_SOURCE);
      assertThat(refusal.detail()).contains("tiny.png").contains("teacher.dataset.max-upscale");
    });
  }

  @Test
  void aCorruptImageIsRefusedForThatItem() throws Exception {
    // given
    write("broken.png", "not an image".getBytes(StandardCharsets.UTF_8));
    write("broken.txt", "broken");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).build();
    // when
    TeacherResult result = teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64));
    // then
    assertThat(result).isInstanceOfSatisfying(Refusal.class,
        refusal -> assertThat(refusal.detail()).contains("broken.png"));
  }

  @Test
  void aJsonCaptionWithoutTextFailsNamingTheFile() throws Exception {
    // given
    write("x.png", TestImages.png(64, 64, Color.RED));
    write("x.json", "{\"tags\": [\"red\"]}");
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).build();
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("x.json")
        .hasMessageContaining("\"caption\"");
  }

  @Test
  void anEmptyDatasetSaysWhereAndWhatLayoutIsExpected() throws Exception {
    // given a folder with only an uncaptioned image
    write("bare.png", TestImages.png(64, 64, Color.RED));
    DatasetTeacher teacher = DatasetTeacher.builder().setLocation(dir.toString()).build();
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-1", "p", 1, 64, 64)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dir.toUri().toString())
        .hasMessageContaining("teacher.dataset.location")
        .hasMessageContaining("1 images without captions");
  }

  @Test
  void badSettingsNameTheSetting() {
    assertThatThrownBy(() -> DatasetTeacher.builder().build())
        .hasMessageContaining("teacher.dataset.location");
    assertThatThrownBy(() -> DatasetTeacher.builder().setLocation(dir.toString()).optBucketStride(24).build())
        .hasMessageContaining("teacher.dataset.bucket-stride");
    assertThatThrownBy(() -> DatasetTeacher.builder().setLocation(dir.toString()).optMaxUpscale(0.5).build())
        .hasMessageContaining("teacher.dataset.max-upscale");
  }

  private void write(String name, String text) throws IOException {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }
}
