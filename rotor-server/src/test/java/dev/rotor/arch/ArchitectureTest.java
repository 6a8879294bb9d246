package dev.rotor.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md §1-2: dependencies point inward; only the composition root sees everything. The rules run as plain
 * Jupiter tests (rather than {@code @ArchTest} fields) so that surefire's {@code -Dtest=} filter selects them.
 */
class ArchitectureTest {
    private static final String[] CORE = {
            "dev.rotor.oauth..", "dev.rotor.token..", "dev.rotor.session..", "dev.rotor.risk..",
            "dev.rotor.account..", "dev.rotor.audit..", "dev.rotor.config..", "dev.rotor.crypto.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rotor");
    }

    @Test
    void importSeesTheMainCode() {
        // Guards against vacuous rules: the import must hold the core and the adapters.
        assertThat(main.contain("dev.rotor.token.KeyRing")).isTrue();
        assertThat(main.contain("dev.rotor.store.JdbcRefreshTokenStore")).isTrue();
        assertThat(main.contain("dev.rotor.http.HttpApp")).isTrue();
        assertThat(main.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("dev.rotor.testing"))).isEmpty();
    }

    @Test
    void coreDoesNotDependOnFrameworksOrAdapters() {
        noClasses()
                .that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "org.jdbi..", "java.sql..", "org.eclipse.jetty..",
                        "dev.rotor.store..", "dev.rotor.http..", "dev.rotor.app..")
                .because("the core is plain Java behind ports; adapters implement them (STYLE.md §2)")
                .check(main);
    }

    @Test
    void onlyTokenImportsNimbus() {
        noClasses()
                .that().resideOutsideOfPackage("dev.rotor.token..")
                .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")
                .because("token/ is the only server package that imports Nimbus (STYLE.md §1)")
                .check(main);
    }

    @Test
    void storeDoesNotDependOnHttp() {
        noClasses()
                .that().resideInAPackage("dev.rotor.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.rotor.http..")
                .because("adapters on both edges meet only in app/")
                .check(main);
    }
    @Test
    void featurePackagesBelowOauthDoNotDependOnIt() {
        noClasses()
                .that().resideInAnyPackage("dev.rotor.token..", "dev.rotor.session..", "dev.rotor.risk..", "dev.rotor.account..",
                        "dev.rotor.audit..", "dev.rotor.config..", "dev.rotor.crypto..")
                .should().dependOnClassesThat().resideInAPackage("dev.rotor.oauth..")
                .because("dependencies point inward: http -> oauth -> token | session | risk | account (STYLE.md §2)")
                .check(main);
    }
}
