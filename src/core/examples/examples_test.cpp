#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../../../tests/unit/shared_dir.h"
#include "context/dockerignore.h"
#include "context/filter.h"
#include "examples/examples.h"
#include "instructions/instructions.h"
#include "syntax/parser.h"

using namespace dfplay;
namespace fs = std::filesystem;

namespace {

bool visible(const context::FilteredContext& fc, std::string_view path) {
  uint32_t i = fc.context().find(path);
  return i != context::BuildContext::npos && fc.visible(i);
}

std::string errors_of(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d)
    if (x.severity == Severity::Error) s += format_diagnostic(x, "Dockerfile") + "\n";
  return s;
}

}  // namespace

TEST_CASE("examples: the built-in list") {
  const auto& all = examples::builtin();
  REQUIRE(all.size() == 8);
  for (const char* id : {"node-multistage", "node-naive", "dotnet-multistage", "static-nginx", "go-distroless",
                         "cache-order", "cache-order-naive", "build-arg"}) {
    CAPTURE(id);
    const examples::Example* ex = examples::find(id);
    REQUIRE(ex != nullptr);
    CHECK(ex->id == id);
  }
  CHECK(examples::find("nope") == nullptr);
  CHECK(examples::find("") == nullptr);
  CHECK(all.front().id == "node-multistage");
}

TEST_CASE("examples: every example is complete and parses without errors") {
  std::set<std::string> ids;
  for (const auto& ex : examples::builtin()) {
    CAPTURE(ex.id);
    CHECK(ids.insert(ex.id).second);
    CHECK_FALSE(ex.title.empty());
    CHECK(ex.description.size() > 100);
    CHECK_FALSE(ex.claims.empty());
    REQUIRE(ex.file("Dockerfile") != nullptr);
    CHECK(ex.dockerfile == ex.file("Dockerfile")->content);
    REQUIRE(ex.file(".dockerignore") != nullptr);
    CHECK(ex.files.size() >= 5);
    for (size_t i = 1; i < ex.files.size(); ++i) CHECK(ex.files[i - 1].path < ex.files[i].path);
    if (!ex.compare_with.empty()) CHECK(examples::find(ex.compare_with) != nullptr);

    syntax::Dockerfile df = syntax::parse(ex.dockerfile);
    CHECK_MESSAGE(!df.diagnostics.has_errors(), errors_of(df.diagnostics));
    ins::Program prog = ins::build_program(df);
    CHECK_MESSAGE(!prog.diagnostics.has_errors(), errors_of(prog.diagnostics));
    CHECK_FALSE(prog.stages.empty());

    context::BuildContext ctx = examples::to_context(ex);
    CHECK(ctx.diagnostics().empty());
    CHECK(ctx.file_count() == ex.files.size());
    uint32_t d = ctx.find("Dockerfile");
    REQUIRE(d != context::BuildContext::npos);
    CHECK(ctx.content(d) == ex.dockerfile);
    CHECK(ctx.mode(d) == 0644);

    // .dockerignore: no docs and no VCS metadata are sent; the Dockerfile is still read by
    // BuildKit (it is sent separately), the sources are sent.
    context::IgnoreFile ig = context::load_dockerignore(ctx);
    CHECK_FALSE(ig.empty());
    context::FilteredContext fc(ctx, ig);
    CHECK_FALSE(visible(fc, "README.md"));
    CHECK_FALSE(visible(fc, ".gitignore"));
    CHECK(fc.after().files < fc.before().files);
  }
}

TEST_CASE("examples: the node example fixes the seed's COPY line") {
  const auto* ex = examples::find("node-multistage");
  REQUIRE(ex);
  CHECK(ex->dockerfile.find("\nCOPY --from=builder /app/dist ./dist\n") != std::string::npos);
  CHECK(ex->dockerfile.find("./dist # copy") == std::string::npos);
  // The RUN comments of the seed stay: the shell drops them.
  CHECK(ex->dockerfile.find("RUN npm ci # install all deps (including devDeps)") != std::string::npos);

  syntax::Dockerfile df = syntax::parse(ex->dockerfile);
  ins::Program prog = ins::build_program(df);
  REQUIRE(prog.stages.size() == 2);
  CHECK(prog.stages[0].name() == "builder");
  CHECK(prog.stages[1].name() == "production");
  bool found = false;
  for (const auto& in : prog.stages[1].commands)
    if (const auto* c = in.as<ins::Copy>(); c && c->from && c->from->text == "builder") {
      found = true;
      REQUIRE(c->sources.size() == 1);
      CHECK(c->sources[0].text == "/app/dist");
      CHECK(c->dest.text == "./dist");
    }
  CHECK(found);
}

TEST_CASE("examples: the seed's trailing comment is really a COPY source") {
  // Why the fix is needed: BuildKit takes '#' as a comment only at the start of a line.
  syntax::Dockerfile df = syntax::parse("FROM a AS builder\nFROM b\nCOPY --from=builder /app/dist ./dist # copy compiled output only\n");
  ins::Program prog = ins::build_program(df);
  REQUIRE(prog.stages.size() == 2);
  REQUIRE(prog.stages[1].commands.size() == 1);
  const auto* c = prog.stages[1].commands[0].as<ins::Copy>();
  REQUIRE(c);
  CHECK(c->dest.text == "only");
  CHECK(c->sources.size() == 6);  // /app/dist ./dist # copy compiled output
}

TEST_CASE("examples: node variants share one context") {
  const auto* base = examples::find("node-multistage");
  REQUIRE(base);
  for (const char* id : {"node-naive", "cache-order", "cache-order-naive", "build-arg"}) {
    CAPTURE(id);
    const auto* ex = examples::find(id);
    REQUIRE(ex);
    REQUIRE(ex->files.size() == base->files.size());
    for (size_t i = 0; i < ex->files.size(); ++i) {
      CAPTURE(ex->files[i].path);
      CHECK(ex->files[i].path == base->files[i].path);
      if (ex->files[i].path != "Dockerfile") CHECK(ex->files[i].content == base->files[i].content);
    }
  }
  const auto* naive = examples::find("node-naive");
  CHECK(naive->dockerfile.find("FROM node:20\n") != std::string::npos);
  CHECK(naive->dockerfile.find("USER") == std::string::npos);
}

TEST_CASE("examples: contexts carry what the Dockerfiles need") {
  auto has = [](const char* id, std::initializer_list<const char*> paths) {
    const auto* ex = examples::find(id);
    REQUIRE(ex);
    context::BuildContext ctx = examples::to_context(*ex);
    context::IgnoreFile ig = context::load_dockerignore(ctx);
    context::FilteredContext fc(ctx, ig);
    for (const char* p : paths) {
      CAPTURE(id);
      CAPTURE(p);
      CHECK(visible(fc, p));
    }
  };
  has("node-multistage", {"package.json", "package-lock.json", "tsconfig.json", "src/server.ts", "src/app.ts",
                          ".env.example"});
  has("dotnet-multistage", {"MyApp.csproj", "Program.cs", "appsettings.json"});
  has("static-nginx", {"package.json", "package-lock.json", "index.html", "src/main.js", "src/style.css", "nginx.conf"});
  has("go-distroless", {"go.mod", "go.sum", "cmd/server/main.go", "internal/inventory/store.go"});

  // package.json and the lock file agree on the direct dependencies.
  for (const char* id : {"node-multistage", "static-nginx"}) {
    CAPTURE(id);
    const auto* ex = examples::find(id);
    auto pkg = nlohmann::json::parse(ex->file("package.json")->content);
    auto lock = nlohmann::json::parse(ex->file("package-lock.json")->content);
    CHECK(lock["lockfileVersion"] == 3);
    CHECK(lock["name"] == pkg["name"]);
    const auto& root = lock["packages"][""];
    for (const char* k : {"dependencies", "devDependencies"}) {
      const nlohmann::json declared = pkg.value(k, nlohmann::json::object());
      CHECK(root.value(k, nlohmann::json::object()) == declared);
      for (auto& [name, range] : declared.items()) {
        const auto& name_ = name;  // clang 14: a structured binding cannot be captured
        CAPTURE(name_);
        REQUIRE(lock["packages"].contains("node_modules/" + name));
        CHECK(lock["packages"]["node_modules/" + name].value("dev", false) == (std::string(k) == "devDependencies"));
      }
    }
  }
  // .dockerignore subtleties: node_modules and dist never sent, .env.example re-included.
  const auto* ex = examples::find("node-multistage");
  context::BuildContext ctx;
  {
    context::ContextBuilder b;
    for (const auto& f : ex->files) b.add_file(f.path, f.content);
    b.add_file("node_modules/express/package.json", "{}");
    b.add_file("dist/server.js", "");
    b.add_file(".env", "SECRET=1");
    b.add_file("docs/notes.md", "x");
    ctx = b.build();
  }
  context::IgnoreFile ig = context::load_dockerignore(ctx);
  context::FilteredContext fc(ctx, ig);
  CHECK_FALSE(visible(fc, "node_modules/express/package.json"));
  CHECK_FALSE(visible(fc, "dist/server.js"));
  CHECK_FALSE(visible(fc, ".env"));
  CHECK_FALSE(visible(fc, "docs/notes.md"));
  CHECK(visible(fc, ".env.example"));
}

TEST_CASE("examples: JSON export") {
  auto all = nlohmann::json::parse(examples::to_json());
  REQUIRE(all.is_array());
  REQUIRE(all.size() == examples::builtin().size());
  const auto& j = all[0];
  CHECK(j["id"] == "node-multistage");
  CHECK(j["dockerfile"] == examples::builtin()[0].dockerfile);
  CHECK(j["files"].is_object());
  CHECK(j["files"]["package.json"].is_string());
  CHECK(j["compare_with"] == "node-naive");
  auto one = nlohmann::json::parse(examples::to_json(*examples::find("build-arg"), 2));
  CHECK(one["build_args"]["NODE_VERSION"] == "22");
  // The files object is a context in the JSON form the JS API accepts.
  Diagnostics d;
  context::BuildContext ctx = context::context_from_json(j["files"].dump(), &d);
  CHECK(d.empty());
  CHECK(ctx.file_count() == examples::builtin()[0].files.size());
}

TEST_CASE("examples: the compiled-in files match examples/ on disk") {
  fs::path root = testing::source_dir() / "examples";
  if (!fs::exists(root)) {
    MESSAGE("[dfplay-skipped] " << root.string() << " is absent");
    return;
  }
  std::set<std::string> on_disk;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) on_disk.insert(e.path().filename().string());
  std::set<std::string> built;
  for (const auto& ex : examples::builtin()) built.insert(ex.id);
  CHECK(on_disk == built);
  for (const auto& ex : examples::builtin()) {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(root / ex.id)) {
      if (!e.is_regular_file()) continue;
      ++n;
      std::string rel = fs::relative(e.path(), root / ex.id).generic_string();
      CAPTURE(ex.id);
      CAPTURE(rel);
      const examples::File* f = ex.file(rel);
      REQUIRE(f != nullptr);
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      CHECK(f->content == ss.str());
    }
    CHECK(n == ex.files.size());
  }
}
