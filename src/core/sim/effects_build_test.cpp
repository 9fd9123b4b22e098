#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects_test_util.h"

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
}
