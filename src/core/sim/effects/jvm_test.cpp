#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

namespace {

// A Spring Boot project built by the simulated Maven: target/demo-0.0.1-SNAPSHOT.jar.
Vfs boot_project() {
  Vfs fs;
  add_file(fs, "/app/pom.xml", R"(<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
  <artifactId>demo</artifactId>
  <version>0.0.1-SNAPSHOT</version>
  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>
  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>
)");
  add_file(fs, "/app/src/main/java/com/example/App.java", std::string(4000, 'j'));
  return fs;
}

Vfs packaged() {
  Vfs fs = boot_project();
  Effect m = run(fs, "mvn -B package -DskipTests");
  REQUIRE_FALSE(m.would_fail);
  return after(fs, m);
}

}  // namespace

TEST_SUITE("effects.jvm") {
  TEST_CASE("mvn package: the Spring Boot jar and the plain .original beside it") {
    Vfs fs = packaged();
    REQUIRE(fs.find("/app/target/demo-0.0.1-SNAPSHOT.jar"));
    CHECK(fs.find("/app/target/demo-0.0.1-SNAPSHOT.jar")->size == 20'000'000);
    CHECK(fs.find("/app/target/demo-0.0.1-SNAPSHOT.jar.original"));
  }

  TEST_CASE("jar -xf of a Spring Boot jar: BOOT-INF/lib, BOOT-INF/classes, META-INF, the loader") {
    Vfs fs = packaged();
    Step s;
    s.workdir = "/app/target/dependency";
    fs.mkdir_p("/app/target/dependency", 1);
    Effect e = run(fs, "jar -xf ../*.jar", s);
    CHECK_FALSE(e.would_fail);
    CHECK_FALSE(e.unknown);
    CHECK(has_tool(e, "jar -x"));
    REQUIRE(put_of(e, "/app/target/dependency/BOOT-INF/lib"));
    CHECK(put_of(e, "/app/target/dependency/BOOT-INF/lib")->node.size == 18'000'000);
    CHECK(put_of(e, "/app/target/dependency/BOOT-INF/classes"));
    CHECK(put_of(e, "/app/target/dependency/META-INF/MANIFEST.MF"));
    CHECK(put_of(e, "/app/target/dependency/org/springframework/boot/loader"));
    // Old-style `jar xf FILE` and an explicit path are the same.
    Effect old = run(fs, "jar xf ../demo-0.0.1-SNAPSHOT.jar", s);
    CHECK(put_of(old, "/app/target/dependency/BOOT-INF/lib"));
  }

  TEST_CASE("java -Djarmode=layertools -jar app.jar extract: the four layer directories") {
    Vfs fs = packaged();
    Effect cp = run(fs, "cp target/*.jar application.jar");
    fs = after(fs, cp);
    Effect e = run(fs, "java -Djarmode=layertools -jar application.jar extract");
    CHECK_FALSE(e.unknown);
    CHECK_FALSE(e.would_fail);
    for (const char* d : {"/app/dependencies", "/app/spring-boot-loader", "/app/snapshot-dependencies", "/app/application"})
      CHECK_MESSAGE(put_of(e, d), d);
    CHECK(put_of(e, "/app/dependencies")->node.size == 18'000'000);
    // --destination
    Effect d = run(fs, "java -Djarmode=layertools -jar application.jar extract --destination /layers");
    CHECK(put_of(d, "/layers/application"));
    // Spring Boot 3.3's tools mode: a directory named after the jar, layers only with --layers.
    Effect t = run(fs, "java -Djarmode=tools -jar application.jar extract --layers --launcher");
    CHECK(put_of(t, "/app/application/dependencies"));
    CHECK(put_of(t, "/app/application/spring-boot-loader"));
    Effect plain = run(fs, "java -Djarmode=tools -jar application.jar extract --destination out");
    CHECK(put_of(plain, "/app/out/application.jar"));
    CHECK(put_of(plain, "/app/out/lib"));
  }

  TEST_CASE("java running a program is unknown; java -version is read-only; a missing jar fails") {
    Vfs fs = packaged();
    Effect run_app = run(fs, "java -jar target/demo-0.0.1-SNAPSHOT.jar");
    CHECK(run_app.unknown);
    Effect v = run(fs, "java -version");
    CHECK_FALSE(v.unknown);
    CHECK(v.changes.empty());
    Effect missing = run(fs, "java -Djarmode=layertools -jar nothere.jar extract");
    CHECK(missing.would_fail);
    Effect jar_missing = run(fs, "jar -xf nothere.jar");
    CHECK(jar_missing.would_fail);
  }

  TEST_CASE("a jar written by an unmodelled step: extraction is unknown, not a failure") {
    Vfs fs;
    fs.mkdir_p("/app", 1);
    Effect e = run(fs, "custom-jar-builder && jar -xf app.jar");  // a tool the simulation does not know
    CHECK_FALSE(e.would_fail);
    CHECK(e.unknown);
    // The same from an earlier step's unknown effect.
    const std::vector<std::pair<std::string, std::string>> env;
    RunInput in{.command = "java -Djarmode=layertools -jar app.jar extract",
                .fs = fs,
                .env = env,
                .workdir = "/app",
                .unmodelled_before = {"line 4: RUN ./gradlew bootJar --offline-mirror"}};
    Effect later = simulate_run(in);
    CHECK_FALSE(later.would_fail);
    CHECK(later.unknown);
  }

  TEST_CASE("zip -r: one archive of ~1/2.5 of the inputs; .zip appended like zip does") {
    Vfs fs;
    add_file(fs, "/app/a.txt", std::string(50000, 'a'));
    add_file(fs, "/app/b/c.txt", std::string(50000, 'c'));
    Step s;
    s.workdir = "/";
    Effect e = run(fs, "zip -r /app.zip /app", s);
    CHECK_FALSE(e.unknown);
    REQUIRE(put_of(e, "/app.zip"));
    CHECK(put_of(e, "/app.zip")->node.size == 40000);
    Effect named = run(fs, "zip -qr /out /app", s);
    CHECK(put_of(named, "/out.zip"));
    CHECK(run(fs, "zip -r /app.zip /app", s).output_key == e.output_key);  // same inputs, same key
    Vfs changed = fs;
    add_file(changed, "/app/a.txt", std::string(50000, 'b'));
    CHECK(run(changed, "zip -r /app.zip /app", s).output_key != e.output_key);
  }
}
