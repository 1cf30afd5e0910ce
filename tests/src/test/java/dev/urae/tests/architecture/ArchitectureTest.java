package dev.urae.tests.architecture;

import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of the house (DESIGN.md, "Modules"), checked on the main classes of model,
 * infra and batch. A failure names the offending class and the dependency it must not have.
 */
class ArchitectureTest {
  /**
   * Model classes that may call {@code NDArray.mul(Number)} / {@code div(Number)}: they never run
   * where gradients flow (sampling, decomposition, data preparation, metrics), so the freed
   * constant cannot be read by a backward pass. Training code multiplies by
   * {@code nn.Constants.times} instead (model/README).
   */
  private static final Set<String> SCALAR_ARITHMETIC_OFF_THE_TRAINING_PATH = Set.of();

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
    DescribedPredicate<JavaClass> offTheTrainingPath = DescribedPredicate.describe("off the training path",
        c -> SCALAR_ARITHMETIC_OFF_THE_TRAINING_PATH.contains(c.getName().replaceAll("\\$.*", "")));
    noClasses().that().resideInAPackage("dev.urae.model..").and(are(DescribedPredicate.not(offTheTrainingPath)))
        .should().callMethod(NDArray.class, "mul", Number.class)
        .orShould().callMethod(NDArray.class, "div", Number.class)
        .because("DJL frees x.mul(Number)'s constant before backward reads it: use nn.Constants.times (model/README)")
        .check(main);
  }
}
