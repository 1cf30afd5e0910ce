package dev.urae.model.checkpoint;

import dev.urae.model.tensors.DType;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tensors of one checkpoint component by name, in file order; headers only, immutable. */
public final class TensorSet {
  private final Map<String, StoredTensor> tensors;

  public TensorSet(Collection<StoredTensor> tensors) {
    Map<String, StoredTensor> map = new LinkedHashMap<>();
    for (StoredTensor t : tensors) {
      if (map.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
    }
    this.tensors = Collections.unmodifiableMap(map);
  }

  /** No tensors (a tokenizer or scheduler component). */
  public static TensorSet empty() {
    return new TensorSet(List.of());
  }

  /** Tensor names in order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** Tensors in order. */
  public Collection<StoredTensor> all() {
    return tensors.values();
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The tensor called {@code name}. */
  public StoredTensor get(String name) {
    StoredTensor t = tensors.get(name);
    if (t == null) throw new IllegalArgumentException("no tensor named '" + name + "'");
    return t;
  }

  public int size() {
    return tensors.size();
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** Total number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (StoredTensor t : tensors.values()) n += t.parameterCount();
    return n;
  }

  /** Total bytes as stored: the memory the weights take once loaded in their stored dtypes. */
  public long byteLength() {
    long n = 0;
    for (StoredTensor t : tensors.values()) n += t.byteLength();
    return n;
  }

  /** Parameters per stored dtype. */
  public Map<DType, Long> parametersByDType() {
    Map<DType, Long> out = new EnumMap<>(DType.class);
    for (StoredTensor t : tensors.values()) out.merge(t.dtype(), t.parameterCount(), Long::sum);
    return out;
  }

  /** How many numbered modules there are: 1 + the largest number {@code numbered}'s group 1 matches in a name (0 when none). */
  int countNumbered(Pattern numbered) {
    int n = 0;
    for (String name : names()) {
      Matcher m = numbered.matcher(name);
      if (m.matches()) n = Math.max(n, Integer.parseInt(m.group(1)) + 1);
    }
    return n;
  }
}
