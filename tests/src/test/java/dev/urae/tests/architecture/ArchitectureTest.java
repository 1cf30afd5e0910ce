package dev.urae.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of the house (DESIGN.md, "Modules"), checked on the main classes of model,
 * infra and batch. A failure names the offending class and the dependency it must not have.
 */
class ArchitectureTest {
  /**
   * Model methods that may call {@code NDArray.mul(Number)} / {@code div(Number)}, as
   * {@code Class.method}: no gradient flows through those calls, so the freed constant is never
   * read by a backward pass. Everywhere else training code multiplies by {@code nn.Constants.times}
   * (model/README).
   */
  private static final Set<String> SCALAR_ARITHMETIC_WITHOUT_GRADIENTS = Set.of(
      "dev.urae.model.bench.ModelBenchmark.attachLora", // random LoRA weights before the timing
      "dev.urae.model.demo.PixelSampler.sample", // sampling
      "dev.urae.model.flow.FlowMatchEulerSampler.sample", // sampling
      "dev.urae.model.flux.Attention.qkScale", // scales the frozen q-norm weight
      "dev.urae.model.flux.FluxTransformer.timestepProjection", // scales the timestep input, which has no gradient
      "dev.urae.model.optim.AdamW.step", // optimizer updates run outside autograd
      "dev.urae.model.optim.Prodigy.step");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("test-classes") && !location.contains("-tests.jar"))
        .importPackages("dev.urae.model", "dev.urae.infra", "dev.urae.batch");
  }

  @Test
  void noModuleHasAPackageCycle() {
    for (String module : new String[] {"model", "infra", "batch"}) {
      slices().matching("dev.urae." + module + ".(**)").as(module + " packages").should().beFreeOfCycles()
          .check(main);
    }
  }

  @Test
  void modelSeesNeitherInfraNorBatchNorSpringNorAws() {
    noClasses().that().resideInAPackage("dev.urae.model..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.urae.infra..", "dev.urae.batch..", "org.springframework..", "software.amazon..")
        .check(main);
  }

  @Test
  void infraSeesNeitherModelNorBatchNorSpringNorDjl() {
    noClasses().that().resideInAPackage("dev.urae.infra..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.urae.model..", "dev.urae.batch..", "org.springframework..", "ai.djl..")
        .check(main);
  }

  @Test
  void aStagePackageNeverImportsAnotherStagePackage() {
    slices().matching("dev.urae.batch.stages.(*)..").as("stage packages").should().notDependOnEachOther()
        .check(main);
  }

  @Test
  void onlyTheDemoTeacherAmongTheStagesSeesTheDemoWorld() {
    noClasses().that().resideInAPackage("dev.urae.batch.stages..")
        .and().haveNameNotMatching("dev\\.urae\\.batch\\.stages\\.teacher\\.DemoWorldTeacher(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("dev.urae.model.demo..")
        .because("stages reach the base model through dev.urae.model.base.BaseModel")
        .check(main);
  }

  @Test
  void trainingCodeNeverMultipliesOrDividesByAJavaNumber() {
    classes().that().resideInAPackage("dev.urae.model..")
        .should(new ArchCondition<JavaClass>("call NDArray.mul(Number) or div(Number) only where no gradient flows") {
          @Override
          public void check(JavaClass javaClass, ConditionEvents events) {
            for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
              boolean scalarArithmetic = call.getTargetOwner().isEquivalentTo(NDArray.class)
                  && (call.getName().equals("mul") || call.getName().equals("div"))
                  && call.getTarget().getRawParameterTypes().size() == 1
                  && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(Number.class);
              String origin = call.getOriginOwner().getName().replaceAll("\\$.*", "") + "." + call.getOrigin().getName();
              if (scalarArithmetic && !SCALAR_ARITHMETIC_WITHOUT_GRADIENTS.contains(origin)) {
                events.add(SimpleConditionEvent.violated(call, call.getDescription()
                    + ": DJL frees the Number's constant before backward reads it; use nn.Constants.times (model/README)"));
              }
            }
          }
        })
        .check(main);
  }
}
