package dev.urae.infra.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
  @TempDir Path cacheRoot;

  @Test
  void twoTasksStagingTheSameWeightsAtOnceCopyThemOnce() throws Exception {
    // given: two stagers (separate caches on one folder, as two tasks on one instance) that start together
    InMemorySource source = checkpoint();
    source.slowReads = true;
    CountDownLatch start = new CountDownLatch(1);
    Callable<StagedWeights> task = () -> {
      start.await();
      return new ModelCache(cacheRoot).stage(source);
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<StagedWeights> first = threads.submit(task);
      Future<StagedWeights> second = threads.submit(task);

      // when
      start.countDown();
      StagedWeights a = first.get();
      StagedWeights b = second.get();

      // then: each file was read once, by one of them; both see the same verified folder
      assertThat(source.opens).hasValue(source.files.size());
      assertThat(a.filesCopied() + b.filesCopied()).isEqualTo(source.files.size());
      assertThat(a.folder()).isEqualTo(b.folder());
      assertThat(Files.readString(a.folder().resolve("transformer/config.json"))).isEqualTo("{\"layers\":2}");
      assertThat(a.folder().getFileName().toString()).isEqualTo(source.list().digest().substring("sha256:".length()));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void stagingAgainIsANoOpThatReadsNothing() throws Exception {
    // given
    InMemorySource source = checkpoint();
    new ModelCache(cacheRoot).stage(source);
    int opened = source.opens.get();

    // when
    StagedWeights again = new ModelCache(cacheRoot).stage(source);

    // then
    assertThat(again.filesCopied()).isZero();
    assertThat(source.opens).hasValue(opened);
  }

  @Test
  void aCorruptTransferIsNeverPutInPlace() throws Exception {
    // given: every read of one file flips a byte
    InMemorySource source = checkpoint();
    source.corrupt = "vae/diffusion_pytorch_model.safetensors";

    // when / then
    assertThatThrownBy(() -> new ModelCache(cacheRoot).stage(source))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("mem://ckpt/vae/diffusion_pytorch_model.safetensors read 3 times, never matching its checksum");
    String hex = source.list().digest().substring("sha256:".length());
    assertThat(cacheRoot.resolve(hex + ".complete")).doesNotExist();
    assertThat(cacheRoot.resolve(hex).resolve(source.corrupt)).doesNotExist();
    try (Stream<Path> left = Files.walk(cacheRoot)) {
      assertThat(left.filter(p -> p.getFileName().toString().contains(".part-"))).isEmpty();
    }
  }

  @Test
  void anInterruptedStagingResumesWithTheFilesItHadNotCopied() throws Exception {
    // given: the first attempt fails on the VAE after the files sorted before it were verified
    InMemorySource source = checkpoint();
    source.corrupt = "vae/diffusion_pytorch_model.safetensors";
    assertThatThrownBy(() -> new ModelCache(cacheRoot).stage(source)).isInstanceOf(IOException.class);
    source.corrupt = null;
    source.opens.set(0);

    // when
    StagedWeights staged = new ModelCache(cacheRoot).stage(source);

    // then: only the VAE file and what sorts after it are read again
    assertThat(staged.filesCopied()).isEqualTo(1);
    assertThat(source.opens).hasValue(1);
  }

  @Test
  void otherWeightsGoToAnotherFolder() throws Exception {
    InMemorySource source = checkpoint();
    StagedWeights first = new ModelCache(cacheRoot).stage(source);
    source.put("transformer/config.json", "{\"layers\":3}");

    StagedWeights second = new ModelCache(cacheRoot).stage(source);

    assertThat(second.folder()).isNotEqualTo(first.folder());
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(Files.readString(second.folder().resolve("transformer/config.json"))).isEqualTo("{\"layers\":3}");
  }

  private static InMemorySource checkpoint() {
    InMemorySource source = new InMemorySource();
    source.put("model_index.json", "{\"_class_name\":\"FluxPipeline\"}");
    source.put("transformer/config.json", "{\"layers\":2}");
    source.put("transformer/diffusion_pytorch_model.safetensors", "x".repeat(300_000));
    source.put("vae/diffusion_pytorch_model.safetensors", "v".repeat(200_000));
    return source;
  }

  /** A checkpoint held in memory; its ETags are MD5s, as for single-part S3 uploads. */
  private static final class InMemorySource implements WeightsSource {
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final AtomicInteger opens = new AtomicInteger();
    volatile boolean slowReads;
    volatile String corrupt;

    void put(String path, String text) {
      files.put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public URI uri() {
      return URI.create("mem://ckpt/");
    }

    @Override
    public WeightsListing list() throws IOException {
      List<WeightsFile> listed = new ArrayList<>();
      for (var e : files.entrySet()) listed.add(new WeightsFile(e.getKey(), e.getValue().length, md5(e.getValue())));
      return new WeightsListing(uri(), listed);
    }

    @Override
    public ExpectedChecksum checksum(WeightsFile file) {
      return ExpectedChecksum.ETag.singlePart(file.eTag());
    }

    @Override
    public InputStream open(WeightsFile file) {
      opens.incrementAndGet();
      byte[] bytes = files.get(file.path()).clone();
      if (file.path().equals(corrupt)) bytes[bytes.length / 2] ^= 1;
      return new ByteArrayInputStream(bytes) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          if (slowReads) {
            try {
              Thread.sleep(20); // keeps the first stager copying while the second arrives
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return super.read(b, off, Math.min(len, 64 * 1024));
        }
      };
    }

    private static String md5(byte[] bytes) throws IOException {
      try {
        return ExpectedChecksumTest.hex("MD5", bytes);
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }
}
