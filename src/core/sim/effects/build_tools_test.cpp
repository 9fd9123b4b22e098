#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

namespace {

Vfs dotnet_project(bool with_packages) {
  Vfs fs;
  std::string pkgs = with_packages ? R"(<ItemGroup>
    <PackageReference Include="Swashbuckle.AspNetCore" Version="6.5.0" />
    <PackageReference Include='Serilog.AspNetCore' Version='8.0.1' />
  </ItemGroup>)"
                                   : "";
  add_file(fs, "/src/MyApp.csproj", R"(<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
  )" + pkgs + "\n</Project>\n");
  return fs;
}

void add_dotnet_sources(Vfs& fs) {
  add_file(fs, "/src/Program.cs", std::string(3000, 'c'));
  add_file(fs, "/src/Controllers/Home.cs", std::string(2000, 'h'));
  add_file(fs, "/src/appsettings.json", R"({"Logging":{}})");
  add_file(fs, "/src/appsettings.Development.json", R"({})");
  add_file(fs, "/src/wwwroot/site.css", std::string(500, 's'));
  add_file(fs, "/src/README.md", "# app\n");
}

Step sdk() {
  Step s;
  s.workdir = "/src";
  s.env = {{"DOTNET_NOLOGO", "true"}, {"NUGET_XMLDOC_MODE", "skip"}};
  return s;
}

}  // namespace

TEST_SUITE("effects.build") {
  TEST_CASE("dotnet restore then dotnet publish -c Release -o /app/publish --no-restore (the seed)") {
    Vfs fs = dotnet_project(true);
    Effect r = run(fs, "dotnet restore", sdk());
    CHECK_FALSE(r.unknown);
    CHECK_FALSE(r.would_fail);
    CHECK(put_of(r, "/src/obj/project.assets.json"));
    REQUIRE(put_of(r, "/root/.nuget/packages"));
    CHECK(put_of(r, "/root/.nuget/packages")->node.size == 10'000'000);
    Vfs restored = after(fs, r);
    add_dotnet_sources(restored);
    Effect p = run(restored, "dotnet publish -c Release -o /app/publish --no-restore", sdk());
    CHECK_FALSE(p.would_fail);
    CHECK_FALSE(p.unknown);
    CHECK(put_of(p, "/app/publish/MyApp.dll"));
    CHECK(put_of(p, "/app/publish/MyApp.deps.json"));
    CHECK(put_of(p, "/app/publish/MyApp.runtimeconfig.json"));
    CHECK(put_of(p, "/app/publish/MyApp"));
    CHECK(put_of(p, "/app/publish/appsettings.json"));
    CHECK(put_of(p, "/app/publish/web.config"));
    CHECK(put_of(p, "/app/publish/wwwroot"));
    CHECK(put_of(p, "/app/publish/Swashbuckle.AspNetCore.dll"));
    uint64_t app = written_under(p, "/app/publish");
    CHECK(app > 1'000'000);
    CHECK(app < 3'000'000);  // framework-dependent: ~1-2 MB
    CHECK(put_of(p, "/src/obj/Release"));
    // Without a restore first, --no-restore fails (NETSDK1004).
    Vfs bare = dotnet_project(false);
    add_dotnet_sources(bare);
    CHECK(has_failure(run(bare, "dotnet publish -c Release -o /app/publish --no-restore", sdk()), "NETSDK1004"));
    CHECK_FALSE(run(bare, "dotnet publish -c Release -o /app/publish", sdk()).would_fail);
  }

  TEST_CASE("dotnet publish output_key ignores README, follows the sources; self-contained is bigger") {
    Vfs fs = after(dotnet_project(false), run(dotnet_project(false), "dotnet restore", sdk()));
    add_dotnet_sources(fs);
    Effect base = run(fs, "dotnet publish -c Release -o /app/publish --no-restore", sdk());
    Vfs readme = fs;
    add_file(readme, "/src/README.md", "# changed\n");
    CHECK(run(readme, "dotnet publish -c Release -o /app/publish --no-restore", sdk()).output_key == base.output_key);
    Vfs src = fs;
    add_file(src, "/src/Program.cs", "// changed\n");
    CHECK(run(src, "dotnet publish -c Release -o /app/publish --no-restore", sdk()).output_key != base.output_key);
    Effect sc = run(fs, "dotnet publish -c Release -r linux-x64 --self-contained -o /app/publish", sdk());
    CHECK(written_under(sc, "/app/publish") > 90'000'000);
    Effect aot = run(fs, "dotnet publish -c Release -r linux-x64 -p:PublishAot=true -o /app/publish", sdk());
    CHECK(written_under(aot, "/app/publish") < 20'000'000);
  }

  TEST_CASE("dotnet finds exactly one project") {
    Vfs fs = dotnet_project(false);
    add_file(fs, "/src/Other.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>");
    CHECK(has_failure(run(fs, "dotnet restore", sdk()), "MSB1011"));
    CHECK_FALSE(run(fs, "dotnet restore MyApp.csproj", sdk()).would_fail);
    Vfs none;
    CHECK(has_failure(run(none, "dotnet restore", sdk()), "MSB1003"));
    CHECK_FALSE(run(fs, "dotnet --info", sdk()).unknown);
  }

  TEST_CASE("cargo build --release: a big target/ and a small binary") {
    Vfs fs;
    add_file(fs, "/app/Cargo.toml",
             "[package]\nname = \"server\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\ntokio = { version = \"1\", features = [\"full\"] }\n\n[profile.release]\nstrip = true\n");
    add_file(fs, "/app/Cargo.lock", "# lock\n");
    add_file(fs, "/app/src/main.rs", "fn main() {}\n");
    Effect e = run(fs, "cargo build --release --locked");
    CHECK_FALSE(e.unknown);
    const FileChange* bin = put_of(e, "/app/target/release/server");
    REQUIRE(bin);
    CHECK(bin->node.size == 4'000'000);  // stripped: 40% of 10 MB
    REQUIRE(put_of(e, "/app/target"));
    CHECK(put_of(e, "/app/target")->node.size == 320'000'000);
    CHECK(put_of(e, "/root/.cargo/registry"));
    CHECK(has_failure(run(Vfs{}, "cargo build"), "could not find `Cargo.toml`"));
    Step rust;
    rust.env = {{"CARGO_HOME", "/usr/local/cargo"}};
    rust.mounts.push_back({MountInfo::Kind::Cache, "/app/target", nullptr, "/", false});
    Effect m = run(fs, "cargo build --release", rust);
    CHECK(put_of(m, "/usr/local/cargo/registry"));
    CHECK(written_under(m, "/app/target") == 0);
    CHECK(has_note(m, "copy the binary out"));
  }

  TEST_CASE("mvn package and gradle build") {
    Vfs fs;
    add_file(fs, "/app/pom.xml", R"(<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
      <artifactId>demo</artifactId><version>0.0.1-SNAPSHOT</version>
      <dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>
      <dependency><artifactId>spring-boot-starter-test</artifactId></dependency></dependencies>
      <build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>)");
    add_file(fs, "/app/src/main/java/App.java", std::string(3000, 'j'));
    Effect m = run(fs, "mvn -B package -DskipTests");
    CHECK_FALSE(m.unknown);
    REQUIRE(put_of(m, "/app/target/demo-0.0.1-SNAPSHOT.jar"));
    CHECK(put_of(m, "/app/target/demo-0.0.1-SNAPSHOT.jar")->node.size == 20'000'000);
    CHECK(put_of(m, "/root/.m2/repository"));
    Effect go = run(fs, "mvn dependency:go-offline");
    CHECK(put_of(go, "/root/.m2/repository"));
    CHECK_FALSE(put_of(go, "/app/target/demo-0.0.1-SNAPSHOT.jar"));
    add_file(fs, "/app/mvnw", "#!/bin/sh\n", 0644);
    CHECK(has_failure(run(fs, "./mvnw package"), "permission denied"));
    Vfs g;
    add_file(g, "/app/build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\n");
    add_file(g, "/app/settings.gradle", "rootProject.name = 'shop'\n");
    add_file(g, "/app/gradlew", "#!/bin/sh\n", 0755);
    Effect gr = run(g, "./gradlew build --no-daemon -x test");
    CHECK(put_of(gr, "/app/build/libs/shop.jar"));
    CHECK(put_of(gr, "/root/.gradle"));
  }

  TEST_CASE("make runs the recipes of the Makefile") {
    Vfs fs;
    add_file(fs, "/app/Makefile",
             "OUT ?= bin\nNAME := tool\n\n.PHONY: all clean\nall: build\n\nbuild: prep\n\t@echo building $(NAME)\n\tmkdir -p $(OUT) && echo ok > $(OUT)/$(NAME)\n\nprep:\n\t-mkdir -p gen\n\ninstall:\n\tcp $(OUT)/$(NAME) /usr/local/bin/\n\nclean:\n\trm -rf $(OUT)\n");
    Effect e = run(fs, "make");
    CHECK_FALSE(e.unknown);
    CHECK_FALSE(e.would_fail);
    Vfs out = after(fs, e);
    CHECK(out.exists("/app/gen"));
    CHECK(*out.find("/app/bin/tool")->content == "ok\n");
    fs.mkdir_p("/usr/local/bin", 0);
    Effect o = run(fs, "make build install OUT=dist");
    Vfs out2 = after(fs, o);
    CHECK(out2.exists("/app/dist/tool"));
    CHECK(out2.exists("/usr/local/bin/tool"));
    CHECK(has_failure(run(fs, "make nothing"), "No rule to make target 'nothing'"));
    CHECK(has_failure(run(Vfs{}, "make"), "no makefile found"));
  }

  TEST_CASE("secondary toolchain commands") {
    Vfs fs = dotnet_project(false);
    add_dotnet_sources(fs);
    Effect b = run(fs, "dotnet build", sdk());
    CHECK(put_of(b, "/src/bin/Debug/net8.0/MyApp.dll"));
    Effect t = run(fs, "dotnet test", sdk());
    CHECK_FALSE(t.unknown);
    CHECK(has_note(t, "runs the tests"));
    CHECK(run(fs, "dotnet ef database update", sdk()).unknown);
    Vfs rs;
    add_file(rs, "/app/Cargo.toml", "[package]\nname = \"x\"\n[dependencies]\nserde = \"1\"\n");
    Effect f = run(rs, "cargo fetch");
    CHECK(put_of(f, "/root/.cargo/registry"));
    CHECK_FALSE(put_of(f, "/app/target"));
    CHECK(put_of(run(rs, "cargo install ripgrep"), "/root/.cargo/bin/ripgrep"));
  }

  TEST_CASE("dotnet publish with every common flag: -c release -o /app -a $TARGETARCH --self-contained false --no-restore") {
    Vfs fs = dotnet_project(false);
    add_dotnet_sources(fs);
    fs = after(fs, run(fs, "dotnet restore", sdk()));
    Step s = sdk();
    s.env.emplace_back("TARGETARCH", "amd64");
    Effect p = run(fs, "dotnet publish -c release -o /app -a $TARGETARCH --self-contained false --no-restore", s);
    CHECK_FALSE(p.would_fail);
    CHECK_FALSE(p.unknown);
    CHECK(put_of(p, "/app/MyApp.dll"));
    CHECK_FALSE(put_of(p, "/app/.runtime"));  // --self-contained false
    // Without -o: bin/CONFIG/TFM/RID/publish, the RID built from --os and -a (amd64 -> x64).
    Effect rid = run(fs, "dotnet publish -c Release -a arm64 --os linux-musl --no-restore", sdk());
    CHECK(put_of(rid, "/src/bin/Release/net8.0/linux-musl-arm64/publish/MyApp.dll"));
    Effect amd = run(fs, "dotnet publish -c Release -a amd64 --no-restore", sdk());
    CHECK(put_of(amd, "/src/bin/Release/net8.0/linux-x64/publish/MyApp.dll"));
    // --self-contained true, -p:PublishSingleFile=true, --sc, /p: and -p Name=Value forms.
    Effect sc = run(fs, "dotnet publish -c Release -r linux-x64 --self-contained true -p:PublishSingleFile=true "
                        "/p:DebugType=None -p UseAppHost=false --no-restore -o /out", sdk());
    CHECK_FALSE(sc.unknown);
    CHECK(put_of(sc, "/out/.runtime"));
    CHECK_FALSE(put_of(sc, "/out/MyApp"));  // UseAppHost=false: no apphost
    // -f picks the framework folder.
    Effect f = run(fs, "dotnet publish -f net9.0 --no-restore", sdk());
    CHECK(put_of(f, "/src/bin/Release/net9.0/publish/MyApp.dll"));
    // A flag we do not model: recognised, and the step is partly unknown (not ignored).
    Effect odd = run(fs, "dotnet publish -c Release -o /app --no-restore --manifest=store.xml", sdk());
    CHECK(odd.unknown);
    CHECK(put_of(odd, "/app/MyApp.dll"));
    CHECK(has_tool(odd, "dotnet publish"));
  }

  TEST_CASE("cargo --target: target/TRIPLE/PROFILE, wasm targets write NAME.wasm; unknown flags are unknown") {
    Vfs rs;
    add_file(rs, "/app/Cargo.toml", "[package]\nname = \"hello-wasm\"\n[dependencies]\nserde = \"1\"\n");
    add_file(rs, "/app/src/main.rs", "fn main() {}\n");
    Effect w = run(rs, "cargo build --target wasm32-wasi --release");
    CHECK_FALSE(w.unknown);
    CHECK(put_of(w, "/app/target/wasm32-wasi/release/hello-wasm.wasm"));
    Effect u = run(rs, "cargo build --release --target wasm32-unknown-unknown");
    CHECK(put_of(u, "/app/target/wasm32-unknown-unknown/release/hello_wasm.wasm"));
    Effect musl = run(rs, "cargo build --release --target x86_64-unknown-linux-musl --locked");
    CHECK_FALSE(musl.unknown);
    CHECK(put_of(musl, "/app/target/x86_64-unknown-linux-musl/release/hello-wasm"));
    Step env;
    env.env = {{"CARGO_BUILD_TARGET", "aarch64-unknown-linux-gnu"}, {"CARGO_TARGET_DIR", "/build"}};
    CHECK(put_of(run(rs, "cargo build -r", env), "/build/aarch64-unknown-linux-gnu/release/hello-wasm"));
    Effect odd = run(rs, "cargo build --release -Zbuild-std");
    CHECK(odd.unknown);
    CHECK(put_of(odd, "/app/target/release/hello-wasm"));
  }

  TEST_CASE("wasm toolchains: wasm-pack, wasm-bindgen, wasm-opt, trunk") {
    Vfs rs;
    add_file(rs, "/app/Cargo.toml", "[package]\nname = \"my-lib\"\n[lib]\ncrate-type = [\"cdylib\"]\n");
    add_file(rs, "/app/src/lib.rs", "pub fn f() {}\n");
    Effect p = run(rs, "wasm-pack build --target web --release");
    CHECK_FALSE(p.unknown);
    CHECK(put_of(p, "/app/pkg/my_lib_bg.wasm"));
    CHECK(put_of(p, "/app/pkg/my_lib.js"));
    CHECK(put_of(p, "/app/pkg/package.json"));
    CHECK(put_of(run(rs, "wasm-pack build --out-dir www/pkg"), "/app/www/pkg/my_lib_bg.wasm"));
    Vfs built = after(rs, run(rs, "cargo build --release --target wasm32-unknown-unknown"));
    Effect bg = run(built, "wasm-bindgen target/wasm32-unknown-unknown/release/my_lib.wasm --out-dir dist --target web");
    CHECK(put_of(bg, "/app/dist/my_lib_bg.wasm"));
    CHECK(put_of(bg, "/app/dist/my_lib.js"));
    Effect opt = run(built, "wasm-opt -Oz target/wasm32-unknown-unknown/release/my_lib.wasm -o small.wasm");
    REQUIRE(put_of(opt, "/app/small.wasm"));
    CHECK(put_of(opt, "/app/small.wasm")->node.size < built.find("/app/target/wasm32-unknown-unknown/release/my_lib.wasm")->size);
    CHECK(run(built, "wasm-opt missing.wasm -o x.wasm").would_fail);
    Effect t = run(rs, "trunk build --release");
    CHECK(put_of(t, "/app/dist"));
  }

  TEST_CASE("mvn: <finalName> with ${project.artifactId}, war packaging, a dependency's version is not the project's") {
    Vfs fs;
    add_file(fs, "/app/pom.xml", R"(<project>
  <artifactId>shop</artifactId>
  <packaging>war</packaging>
  <parent><artifactId>p</artifactId><version>9.9</version></parent>
  <dependencies><dependency><artifactId>lib</artifactId><version>1.2.3</version></dependency></dependencies>
  <build><finalName>${project.artifactId}-app</finalName></build>
</project>
)");
    add_file(fs, "/app/src/main/java/A.java", "class A {}\n");
    Effect e = run(fs, "mvn package");
    CHECK(put_of(e, "/app/target/shop-app.war"));
    Vfs plain;
    add_file(plain, "/app/pom.xml", R"(<project>
  <parent><artifactId>p</artifactId><version>2.0</version></parent>
  <artifactId>svc</artifactId>
  <dependencies><dependency><artifactId>lib</artifactId><version>1.2.3</version></dependency></dependencies>
</project>
)");
    add_file(plain, "/app/src/main/java/A.java", "class A {}\n");
    CHECK(put_of(run(plain, "mvn -B install"), "/app/target/svc-2.0.jar"));  // version inherited from the parent
  }

  TEST_CASE("gradle: build/libs/NAME-VERSION.jar from settings and build scripts (Groovy and Kotlin DSL)") {
    Vfs g;
    add_file(g, "/app/build.gradle.kts", "plugins {\n  id(\"org.springframework.boot\") version \"3.2.0\"\n}\n"
                                          "version = \"0.0.1-SNAPSHOT\"\n");
    add_file(g, "/app/settings.gradle.kts", "rootProject.name = \"demo\"\n");
    add_file(g, "/app/gradlew", "#!/bin/sh\n", 0755);
    Effect e = run(g, "./gradlew bootJar");
    CHECK(put_of(e, "/app/build/libs/demo-0.0.1-SNAPSHOT.jar"));
    CHECK(put_of(e, "/app/build/libs/demo-0.0.1-SNAPSHOT-plain.jar"));  // the Boot plugin's plain jar
    // bootJar { archiveFileName = 'app.jar' }, a version from gradle.properties.
    Vfs h;
    add_file(h, "/app/build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\n"
                                     "bootJar {\n  archiveFileName = 'app.jar'\n}\n");
    add_file(h, "/app/gradle.properties", "org.gradle.jvmargs=-Xmx1g\nversion=2.1.0\n");
    add_file(h, "/app/settings.gradle", "rootProject.name = 'svc'\n");
    Effect f = run(h, "gradle build -x test");
    CHECK(put_of(f, "/app/build/libs/app.jar"));
    CHECK(put_of(f, "/app/build/libs/svc-2.1.0-plain.jar"));
    // Without a version: NAME.jar (the existing default).
    Vfs k;
    add_file(k, "/app/build.gradle", "apply plugin: 'java'\n");
    add_file(k, "/app/settings.gradle", "rootProject.name = 'lib'\n");
    CHECK(put_of(run(k, "gradle jar"), "/app/build/libs/lib.jar"));
  }
}

