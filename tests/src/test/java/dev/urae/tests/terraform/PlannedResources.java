package dev.urae.tests.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The managed resources of a {@code terraform show -json} plan: their planned values, and the
 * expressions of the module configuration (for references, whose values are unknown at plan).
 */
public final class PlannedResources {
  private final JsonNode plan;
  private final List<Planned> resources;

  /**
   * One planned resource: its address ({@code module.urae.aws_s3_bucket.this}), type, name, its
   * {@code for_each} key or {@code count} index ({@code ""} for a single resource) and values.
   */
  public record Planned(String address, String type, String name, String index, JsonNode values) {}

  public PlannedResources(JsonNode plan) {
    this.plan = plan;
    List<Planned> found = new ArrayList<>();
    collect(plan.path("planned_values").path("root_module"), found);
    if (found.isEmpty()) throw new IllegalArgumentException("the plan has no planned resources");
    this.resources = List.copyOf(found);
  }

  public List<Planned> all() {
    return resources;
  }

  public List<Planned> ofType(String type) {
    return resources.stream().filter(r -> r.type().equals(type)).collect(Collectors.toList());
  }

  public Planned one(String type, String name) {
    List<Planned> matches = resources.stream()
        .filter(r -> r.type().equals(type) && r.name().equals(name))
        .toList();
    if (matches.size() != 1) {
      throw new AssertionError("expected one planned " + type + "." + name + ", found " + matches.size());
    }
    return matches.get(0);
  }

  /** The instance {@code type.name[index]} of a {@code for_each} resource. */
  public Planned one(String type, String name, String index) {
    return resources.stream()
        .filter(r -> r.type().equals(type) && r.name().equals(name) && r.index().equals(index))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no planned " + type + "." + name + "[\"" + index + "\"]"));
  }

  /** The known part of a root output's planned value (unknown parts, e.g. ARNs, are absent). */
  public JsonNode output(String name) {
    return plan.path("output_changes").path(name).path("after");
  }

  /** The configuration block of {@code type.name} inside the {@code urae} module call. */
  public JsonNode moduleConfiguration(String type, String name) {
    JsonNode module = plan.path("configuration").path("root_module").path("module_calls").path("urae").path("module");
    for (JsonNode resource : module.path("resources")) {
      if (resource.path("type").asText().equals(type) && resource.path("name").asText().equals(name)) {
        return resource;
      }
    }
    throw new AssertionError("no " + type + "." + name + " in the urae module's configuration");
  }

  public Optional<String> referencedResource(JsonNode expression, String type) {
    for (JsonNode reference : expression.path("references")) {
      String text = reference.asText();
      if (text.startsWith(type + ".") && text.chars().filter(c -> c == '.').count() == 1) return Optional.of(text);
    }
    return Optional.empty();
  }

  private static void collect(JsonNode module, List<Planned> into) {
    for (JsonNode resource : module.path("resources")) {
      if (!resource.path("mode").asText().equals("managed")) continue;
      into.add(new Planned(resource.path("address").asText(), resource.path("type").asText(),
          resource.path("name").asText(), resource.path("index").asText(), resource.path("values")));
    }
    for (JsonNode child : module.path("child_modules")) collect(child, into);
  }
}
