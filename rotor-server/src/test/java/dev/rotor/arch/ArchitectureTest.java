package dev.rotor.arch;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitCallTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.PrintStream;
import java.io.Writer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md §1-2: dependencies point inward; only the composition root sees everything. The rules run as plain
 * Jupiter tests (rather than {@code @ArchTest} fields) so that surefire's {@code -Dtest=} filter selects them.
 */
class ArchitectureTest {
    private static final String[] CORE = {
            "dev.rotor.oauth..", "dev.rotor.token..", "dev.rotor.session..", "dev.rotor.risk..",
            "dev.rotor.account..", "dev.rotor.audit..", "dev.rotor.config..", "dev.rotor.crypto..", "dev.rotor.selfservice..",
            "dev.rotor.signin..", "dev.rotor.throttle..", "dev.rotor.mfa..", "dev.rotor.notify..", "dev.rotor.outbox.."};

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
        assertThat(main.contain("dev.rotor.cli.RotorCommand")).isTrue();
        assertThat(main.contain("dev.rotor.app.Rotor")).isTrue();
        assertThat(main.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("dev.rotor.testing"))).isEmpty();
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.rotor.(*)..")
                .should().beFreeOfCycles()
                .because("dependencies point one way; app sees everything and nothing sees app (STYLE.md §2)")
                .check(main);
    }

    @Test
    void coreDoesNotDependOnFrameworksOrAdapters() {
        noClasses()
                .that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "org.eclipse.jetty..", "java.sql..", "org.jdbi..", "com.zaxxer..", "org.flywaydb..",
                        "picocli..", "dev.rotor.store..", "dev.rotor.http..", "dev.rotor.cli..", "dev.rotor.app..")
                .because("the core is plain Java behind ports; adapters implement them (STYLE.md §2)")
                .check(main);
    }

    @Test
    void configDependsOnNoOtherRotorPackage() {
        noClasses()
                .that().resideInAPackage("dev.rotor.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.rotor.token..", "dev.rotor.oauth..", "dev.rotor.session..", "dev.rotor.risk..", "dev.rotor.account..",
                        "dev.rotor.audit..", "dev.rotor.crypto..", "dev.rotor.store..", "dev.rotor.http..", "dev.rotor.cli..", "dev.rotor.app..")
                .because("every package reads the configuration; it is checked before any feature exists")
                .check(main);
    }

    @Test
    void onlyAppConstructsStoreAdapters() {
        DescribedPredicate<JavaCall<?>> createsAnAdapter = target(owner(resideInAPackage("dev.rotor.store..")))
                .and(DescribedPredicate.describe("a constructor or a static factory", (JavaCall<?> call) -> {
                    CodeUnitCallTarget t = call.getTarget();
                    return t.getName().equals("<init>") || t.resolveMember().map(m -> m.getModifiers().contains(JavaModifier.STATIC)).orElse(false);
                }));
        noClasses()
                .that().resideOutsideOfPackages("dev.rotor.app..", "dev.rotor.store..")
                .should().callCodeUnitWhere(createsAnAdapter)
                .because("app/ is the composition root, the only code that constructs adapters (STYLE.md §1)")
                .check(main);
    }

    @Test
    void theCliPrintsOnlyThroughItsEscapingTerminal() {
        noClasses()
                .that().resideInAPackage("dev.rotor.cli..").and().doNotHaveFullyQualifiedName("dev.rotor.cli.Terminal")
                .should().callMethodWhere(target(owner(assignableTo(Writer.class).or(assignableTo(PrintStream.class)))))
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .because("stored values reach the operator's terminal escaped, through cli.Terminal only")
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
    void storeDoesNotDependOnHttpOrCli() {
        noClasses()
                .that().resideInAPackage("dev.rotor.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rotor.http..", "dev.rotor.cli..")
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
