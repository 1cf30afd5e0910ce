package dev.urae.model.text.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a sentencepiece {@code spiece.model} (a protobuf {@code ModelProto}) a tokenizer
 * needs: the pieces with scores and types, the model type and special ids of the trainer spec,
 * and the normaliser's precompiled character map. Read with a small protobuf wire-format
 * reader, so no protobuf library is needed.
 */
public record SentencePieceModel(List<Piece> pieces, int modelType, int unkId, int eosId, int padId, boolean byteFallback, byte[] precompiledCharsmap) {
  /** Model type of a unigram model (sentencepiece's default, T5's). */
  public static final int UNIGRAM = 1;

  /** Piece types of sentencepiece's proto. */
  public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;

  /** One vocabulary entry. */
  public record Piece(String piece, float score, int type) {}

  public SentencePieceModel {
    pieces = List.copyOf(pieces);
  }

  /** Reads {@code file}; errors name it and say what is wrong. */
  public static SentencePieceModel read(Path file) throws IOException {
    try {
      return parse(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a sentencepiece model (" + e.getMessage() + ")", e);
    }
  }

  private static SentencePieceModel parse(ByteBuffer in) {
    List<Piece> pieces = new ArrayList<>();
    // proto2 defaults of TrainerSpec
    int[] trainer = {UNIGRAM, 0, 2, -1};
    boolean[] byteFallback = {false};
    byte[] charsmap = new byte[0];
    while (in.hasRemaining()) {
      long key = varint(in);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 2) {
        pieces.add(piece(sub(in)));
      } else if (field == 2 && wire == 2) {
        ByteBuffer spec = sub(in);
        while (spec.hasRemaining()) {
          long k = varint(spec);
          int f = (int) (k >>> 3);
          int w = (int) (k & 7);
          if (w == 0 && (f == 3 || f == 40 || f == 42 || f == 43 || f == 35)) {
            int v = (int) varint(spec);
            switch (f) {
              case 3 -> trainer[0] = v;
              case 40 -> trainer[1] = v;
              case 42 -> trainer[2] = v;
              case 43 -> trainer[3] = v;
              default -> byteFallback[0] = v != 0;
            }
          } else {
            skip(spec, w);
          }
        }
      } else if (field == 3 && wire == 2) {
        ByteBuffer spec = sub(in);
        while (spec.hasRemaining()) {
          long k = varint(spec);
          if ((k >>> 3) == 2 && (k & 7) == 2) {
            ByteBuffer b = sub(spec);
            charsmap = new byte[b.remaining()];
            b.get(charsmap);
          } else {
            skip(spec, (int) (k & 7));
          }
        }
      } else {
        skip(in, wire);
      }
    }
    if (pieces.isEmpty()) throw new IllegalArgumentException("no pieces");
    return new SentencePieceModel(pieces, trainer[0], trainer[1], trainer[2], trainer[3], byteFallback[0], charsmap);
  }

  private static Piece piece(ByteBuffer in) {
    String text = null;
    float score = 0;
    int type = NORMAL;
    while (in.hasRemaining()) {
      long k = varint(in);
      int f = (int) (k >>> 3);
      int w = (int) (k & 7);
      if (f == 1 && w == 2) {
        ByteBuffer b = sub(in);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        text = new String(bytes, StandardCharsets.UTF_8);
      } else if (f == 2 && w == 5) {
        score = in.getFloat();
      } else if (f == 3 && w == 0) {
        type = (int) varint(in);
      } else {
        skip(in, w);
      }
    }
    if (text == null) throw new IllegalArgumentException("a piece without text");
    return new Piece(text, score, type);
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) return value;
    }
    throw new IllegalArgumentException("malformed varint");
  }

  private static ByteBuffer sub(ByteBuffer in) {
    int length = Math.toIntExact(varint(in));
    ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    slice.limit(length);
    in.position(in.position() + length);
    return slice;
  }

  private static void skip(ByteBuffer in, int wire) {
    switch (wire) {
      case 0 -> varint(in);
      case 1 -> in.position(in.position() + 8);
      case 2 -> sub(in);
      case 5 -> in.position(in.position() + 4);
      default -> throw new IllegalArgumentException("unsupported wire type " + wire);
    }
  }
}
