package dev.urae.batch.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.image.PngImages;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.vae.AutoencoderKl;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.vae.VaeTiling;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code urae vae encode|decode}: images to FLUX latents and back through the checkpoint's VAE. */
@Command(
    name = "vae",
    mixinStandardHelpOptions = true,
    description = "FLUX's VAE: images to latents and back.",
    subcommands = {VaeCommand.Encode.class, VaeCommand.Decode.class})
public final class VaeCommand implements Runnable {
  /** Latents in the transformer's space, (mean − shift) · scale, [1, C, H/8, W/8]. */
  static final String LATENTS = "latents";
  /** The raw posterior, as URAE caches it. */
  static final String MEAN = "mean";
  static final String STD = "std";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae vae --help)");
  }

  /** What both subcommands take: the checkpoint, how to tile and where to compute. */
  static final class VaeOptions {
    @Option(names = "--model", required = true, description = "A diffusers FLUX folder, or its vae/ folder.")
    Path model;

    @Option(names = "--tile", defaultValue = "1024/256",
        description = "Tile images larger than TILE pixels: TILE[/OVERLAP] in pixels, multiples of 8, or off (default ${DEFAULT-VALUE}).")
    String tile;

    @Option(names = "--device", description = "cpu, cuda or cuda:N (default: the first GPU, else cpu).")
    String device;

    /** The checkpoint's {@code vae/} (or the component folder given), tiled as {@code --tile} says; a bad tile is refused by the option's name. */
    AutoencoderKl load(CommandSpec spec, Device target, NDManager manager) throws IOException {
      Checkpoint checkpoint = Checkpoint.open(model);
      Component vae = checkpoint.has("vae") ? checkpoint.component("vae")
          : checkpoint.components().size() == 1 ? checkpoint.components().values().iterator().next() : null;
      if (vae == null) {
        throw new CheckpointException(model, List.of(CheckpointProblem.of(model, "no VAE: give a diffusers folder with vae/ or the vae/ folder itself (has: "
            + String.join(", ", checkpoint.components().keySet()) + ")")));
      }
      AutoencoderKl loaded = AutoencoderKl.load(vae, target, manager, "autoencoder-kl:" + vae.location());
      try {
        loaded.setTiling(VaeTiling.parse(tile));
      } catch (IllegalArgumentException e) {
        loaded.close();
        throw new ParameterException(spec.commandLine(), "--tile: " + e.getMessage());
      }
      return loaded;
    }
  }

  /** Encodes a PNG to latents and the raw posterior. */
  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = {"Encode an image (width and height multiples of 8) and write latents [1, 16, H/8, W/8] in the transformer's space",
          "((mean - shift_factor) * scaling_factor) plus the raw posterior mean and std, as URAE caches them."})
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin VaeOptions vaeOptions;

    @Parameters(paramLabel = "IMAGE", description = "A PNG (or any image javax.imageio reads).")
    Path image;

    @Option(names = "--out", required = true, description = "The .safetensors file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      Device target = TextCommand.device(spec, vaeOptions.device);
      if (!Files.isRegularFile(image)) throw new IOException(image + ": no such file; give an image to encode");
      BufferedImage picture = ImageIO.read(image.toFile());
      if (picture == null) throw new IOException(image + ": not an image javax.imageio can read (PNG, JPEG, BMP, GIF)");
      PrintWriter log = spec.commandLine().getOut();
      try (NDManager manager = NDManager.newBaseManager(target); AutoencoderKl vae = vaeOptions.load(spec, target, manager)) {
        int f = vae.downsampling();
        if (picture.getWidth() % f != 0 || picture.getHeight() % f != 0) {
          throw new IOException(image + ": " + picture.getWidth() + "×" + picture.getHeight() + " is not a multiple of " + f + " in both directions; crop or resize it");
        }
        NDArray pixels = ImageTensors.toTensor(picture, manager).expandDims(0);
        LatentPosterior posterior = vae.encodeRawPosterior(pixels);
        NDArray latents = vae.normalize(posterior.mean());
        new SafeTensorsWriter()
            .metadata(Map.of("image", image.toString(), "model", vaeOptions.model.toString(),
                "scaling_factor", Double.toString(vae.config().scalingFactor()), "shift_factor", Double.toString(vae.config().shiftFactor())))
            .add(LATENTS, latents).add(MEAN, posterior.mean()).add(STD, posterior.std())
            .write(out);
        log.printf(Locale.ROOT, "%s: %s %s, %s and %s (raw posterior)%n", out, LATENTS, latents.getShape(), MEAN, STD);
      }
      log.flush();
      return 0;
    }
  }

  /** Decodes latents to a PNG. */
  @Command(name = "decode", mixinStandardHelpOptions = true,
      description = "Decode the 'latents' tensor [1, 16, h, w] (the transformer's space, as 'urae vae encode' writes it) to a PNG of 8h×8w.")
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin VaeOptions vaeOptions;

    @Parameters(paramLabel = "LATENTS", description = "A .safetensors file with a 'latents' tensor.")
    Path latentsFile;

    @Option(names = "--out", required = true, description = "The PNG to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      Device target = TextCommand.device(spec, vaeOptions.device);
      PrintWriter log = spec.commandLine().getOut();
      try (NDManager manager = NDManager.newBaseManager(target);
           SafeTensorsFile in = SafeTensorsFile.open(TensorsCommand.existing(spec, latentsFile));
           AutoencoderKl vae = vaeOptions.load(spec, target, manager)) {
        if (!in.contains(LATENTS)) throw new IOException(latentsFile + ": no tensor '" + LATENTS + "' (has " + in.names() + "); write one with 'urae vae encode'");
        NDArray latents = in.load(LATENTS, manager);
        if (latents.getShape().dimension() == 3) latents = latents.expandDims(0);
        if (latents.getShape().dimension() != 4 || latents.getShape().get(0) != 1 || latents.getShape().get(1) != vae.latentChannels()) {
          throw new IOException(latentsFile + ": '" + LATENTS + "' must be [1, " + vae.latentChannels() + ", h, w], got " + latents.getShape());
        }
        BufferedImage picture = ImageTensors.toImage(vae.decode(latents));
        PngImages.write(out, picture, Map.of("model", vaeOptions.model.toString(), "latents", latentsFile.toString()));
        log.printf(Locale.ROOT, "%s: %d×%d%n", out, picture.getWidth(), picture.getHeight());
      }
      log.flush();
      return 0;
    }
  }
}
