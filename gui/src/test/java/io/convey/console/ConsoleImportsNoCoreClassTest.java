package io.convey.console;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The console's main code speaks the admin REST API only, so it can manage a remote appliance. */
class ConsoleImportsNoCoreClassTest {

    @Test
    void consoleMainCodeUsesNoClassOfTheAppliance() {
        JavaClasses console = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.convey.console");

        noClasses().should().dependOnClassesThat(
                        resideInAPackage("io.convey..").and(not(resideInAPackage("io.convey.console.."))))
                .because("the console reaches an appliance through its HTTP client, never through core classes")
                .check(console);
    }
}
