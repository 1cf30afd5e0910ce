package dev.urae.model.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Puts stored tensors on a device in their stored dtype, straight from the memory-mapped file:
 * the mapped bytes are wrapped as a PyTorch tensor without copying (DJL's {@code create} of a
 * direct buffer), then copied once into memory PyTorch owns on the target device (a clone on
 * the CPU, a host-to-device copy on a GPU). No tensor passes through the Java heap, so loading
 * a 24 GB checkpoint raises the heap by a few kilobytes per tensor (the mapping's object).
 *
 * <p>On the CPU, a float32 or float16 tensor stored in one piece is not copied at all: the
 * array is the file's pages, mapped copy-on-write ({@link FileChannel.MapMode#PRIVATE}), so it
 * takes no memory beyond the page cache and PyTorch's writes to it (if any) stay in this
 * process. Measured on a 1.5 GB float32 file, load plus a first full read: 0.3 s against 3–6 s
 * for the clone, and no resident copy. The file must then not be rewritten in place or
 * truncated while the array lives (replacing it by a rename, as every writer here does, is
 * safe); a file this process may not open for writing, which a private mapping needs, is
 * copied as before.
 *
 * <p>bfloat16 goes through {@link Bf16#fromBits}: the bytes are wrapped typed float16 and
 * reinterpreted by a scripted {@code view_copy}, never widened to float32. Tensors mapped from
 * several byte ranges (BFL's final modulation) are concatenated on the device.
 */
public final class TensorLoader {
  private TensorLoader() {}

  /**
   * Loads {@code tensor} onto {@code device} as a new array owned by {@code manager}, in its
   * stored dtype (DJL reports bfloat16 as {@code UNKNOWN}; ask {@link Bf16#is} or
   * {@link #dtypeOf}). The array is not registered in any {@code NDScope}.
   */
  public static NDArray load(StoredTensor tensor, NDManager manager, Device device) throws IOException {
    NDArray result = aliasable(tensor, device) ? alias(tensor, manager) : null;
    if (result != null) {
      NDScope.unregister(result);
      result.setName(tensor.name());
      return result;
    }
    try (NDManager scratch = manager.newSubManager(device)) {
      NDList pieces = new NDList();
      for (ByteRange range : tensor.ranges()) pieces.add(copy(range, tensor.dtype(), scratch, device));
      NDArray flat = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
      result = flat.reshape(tensor.shape());
      result.attach(manager);
    }
    NDScope.unregister(result);
    result.setName(tensor.name());
    return result;
  }

  /** The stored dtype of an array this loader made (bfloat16, which DJL cannot name, included). */
  public static DType dtypeOf(NDArray array) {
    if (array.getDataType() == DataType.UNKNOWN && Bf16.is(array)) return DType.BF16;
    return DType.of(array.getDataType());
  }

  private static boolean aliasable(StoredTensor tensor, Device device) {
    return !device.isGpu() && tensor.ranges().size() == 1 && tensor.byteLength() > 0 && tensor.byteLength() <= Integer.MAX_VALUE
        && (tensor.dtype() == DType.F32 || tensor.dtype() == DType.F16);
  }

  /**
   * The tensor as a copy-on-write mapping of its bytes, or null when the file cannot be opened
   * for writing (a private mapping needs it; nothing is ever written to the file). The array
   * keeps the mapping reachable, so the pages stay mapped as long as it lives.
   */
  private static NDArray alias(StoredTensor tensor, NDManager manager) throws IOException {
    ByteRange range = tensor.ranges().get(0);
    if (!Files.isWritable(range.file())) return null;
    ByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(range.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      mapped = channel.map(FileChannel.MapMode.PRIVATE, range.offset(), range.length());
    } catch (AccessDeniedException e) {
      return null;
    }
    mapped.order(ByteOrder.LITTLE_ENDIAN);
    try (NDManager cpu = manager.newSubManager(Device.cpu())) {
      NDArray array = cpu.create(mapped, tensor.shape(), tensor.dtype().djl());
      array.attach(manager);
      return array;
    }
  }

  /** One byte range as an owned 1-D tensor on {@code device}. */
  private static NDArray copy(ByteRange range, DType dtype, NDManager scratch, Device device) throws IOException {
    long elements = range.length() / dtype.bytes();
    if (range.length() > Integer.MAX_VALUE) throw new IOException(range.file() + ": a tensor range of " + range.length() + " bytes is over the 2 GiB a mapping can hold");
    ByteBuffer mapped;
    if (range.length() == 0) {
      mapped = ByteBuffer.allocateDirect(0);
    } else {
      try (FileChannel channel = FileChannel.open(range.file(), StandardOpenOption.READ)) {
        // The mapping stays valid after the channel closes; it is released when unreachable.
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, range.offset(), range.length());
      }
    }
    mapped.order(ByteOrder.LITTLE_ENDIAN);
    // bfloat16 travels typed as float16: same width, and DJL cannot create bfloat16.
    DataType carrier = dtype == DType.BF16 ? DataType.FLOAT16 : dtype.djl();
    try (NDManager cpu = scratch.newSubManager(Device.cpu())) {
      NDArray alias = cpu.create(mapped, new Shape(elements), carrier);
      // One copy into memory PyTorch owns: a transfer to a GPU, a clone on the CPU (for
      // bfloat16 the reinterpreting view_copy is that copy).
      NDArray owned = device.isGpu() ? alias.toDevice(device, true) : dtype == DType.BF16 ? alias : alias.duplicate();
      if (dtype == DType.BF16) owned = Bf16.fromBits(owned);
      owned.attach(scratch);
      return owned;
    }
  }
}
