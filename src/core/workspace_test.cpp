#include "workspace.h"

#include <doctest/doctest.h>

#include "report/build_json.h"
#include "report/json.h"

namespace {

using namespace dfplay;

const char* kDockerfile = R"(FROM node:20-alpine AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-alpine AS production
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --from=builder /app/dist ./dist
USER node
CMD ["node", "dist/server.js"]
)";

std::vector<WorkspaceFile> files(const char* source) {
  return {{"package.json",
           R"({"scripts":{"build":"tsc"},"dependencies":{"express":"^4.19.2"},"devDependencies":{"typescript":"^5.4.5"}})"},
          {"package-lock.json", "{}"},
          {"tsconfig.json", R"({"compilerOptions":{"outDir":"dist","rootDir":"src"},"include":["src"]})"},
          {".dockerignore", "node_modules\nDockerfile\n"},
          {"src/server.ts", source}};
}

std::vector<std::string> statuses(const WorkspaceResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.cache.steps)
    if (r.build->steps[s.step].kind != sim::StepKind::From) out.emplace_back(cache::status_name(s.status));
  return out;
}

}  // namespace

TEST_SUITE("workspace") {
  TEST_CASE("the result previews the cache; build() records it; clear_cache() makes it cold") {
    Workspace ws;
    ws.set_dockerfile(kDockerfile);
    ws.set_files(files("export const x = 1;"));
    const auto& r1 = ws.result();
    REQUIRE(r1.build);
    CHECK(r1.build->ok);
    CHECK(r1.analysis->stage_count == 2);
    CHECK(r1.cache.cached == 0);
    CHECK(ws.builds() == 0);
    // Previewing again changes nothing and recomputes nothing.
    uint64_t rev = r1.revision;
    CHECK(ws.result().revision == rev);
    ws.build();
    CHECK(ws.builds() == 1);
    // Unchanged input after a build: everything cached.
    CHECK(ws.result().cache.run == 0);
    // A source edit: npm ci stays cached, COPY . . is the first miss with the path.
    ws.set_files(files("export const x = 2;"));
    const auto& r2 = ws.result();
    CHECK(statuses(r2) == std::vector<std::string>{"cached", "cached", "cached", "run", "run", "cached", "cached",
                                                     "cached", "run"});
    bool found = false;
    for (const auto& s : r2.cache.steps)
      if (s.first_miss && s.reason && s.reason->kind == "context-files-changed") {
        found = true;
        CHECK(s.reason->paths == std::vector<std::string>{"src/server.ts"});
      }
    CHECK(found);
    ws.clear_cache();
    CHECK(ws.result().cache.cached == 0);
  }

  TEST_CASE("a file known by its size only weighs its size in the image; a new size is a change") {
    Workspace ws;
    ws.set_dockerfile("FROM scratch\nCOPY app.bin /app.bin\n");
    WorkspaceFile bin{"app.bin", "", 0644, uint64_t{12000000}};
    ws.set_files({bin});
    const uint64_t size = ws.result().build->size_bytes;
    CHECK(size >= 12000000);
    CHECK(size < 12100000);
    ws.build();
    bin.size = 13000000;
    ws.set_files({bin});
    CHECK(ws.result().build->size_bytes >= 13000000);
    CHECK(ws.result().cache.run >= 1);  // the COPY sees other bytes
  }

  TEST_CASE("set_checks(false): the same build and cache preview, no checks; on again, the checks") {
    Workspace with, without;
    for (Workspace* ws : {&with, &without}) {
      ws->set_dockerfile(std::string(kDockerfile) + "ENV A b\nFROM alpine as other\n");  // two BuildKit warnings
      ws->set_files(files("export const x = 1;"));
    }
    without.set_checks(false);
    const auto& a = with.result();
    const auto& b = without.result();
    REQUIRE(!a.checks.findings.empty());
    CHECK(b.checks.findings.empty());
    CHECK(report::dump(report::build_json(*b.build)) == report::dump(report::build_json(*a.build)));
    CHECK(report::dump(report::rebuild_json(*b.build, b.cache)) == report::dump(report::rebuild_json(*a.build, a.cache)));
    without.set_checks(false);  // unchanged: nothing to recompute
    CHECK_FALSE(without.pending());
    without.set_checks(true);
    CHECK(without.pending());
    CHECK(without.result().checks.findings.size() == with.result().checks.findings.size());
  }

  TEST_CASE("the result an analysis replaced is kept until release_previous() or the next analysis") {
    Workspace ws;
    ws.set_dockerfile(kDockerfile);
    ws.set_files(files("export const x = 1;"));
    std::weak_ptr<const Analysis> first = ws.result().analysis;
    CHECK_FALSE(ws.release_previous());  // nothing replaced yet
    ws.set_dockerfile(std::string(kDockerfile) + "LABEL a=b\n");
    std::weak_ptr<const Analysis> second = ws.result().analysis;
    CHECK_FALSE(first.expired());  // the replaced result is still there (a front end frees it later)
    CHECK(ws.release_previous());
    CHECK(first.expired());
    CHECK_FALSE(ws.release_previous());
    CHECK_FALSE(second.expired());  // the current one stays
    // Not released by the front end: the next analysis frees it before it begins.
    ws.set_dockerfile(std::string(kDockerfile) + "LABEL a=c\n");
    ws.result();
    CHECK_FALSE(second.expired());
    ws.set_dockerfile(kDockerfile);
    ws.step(0.0);
    CHECK(second.expired());
  }

  TEST_CASE("options: target, build args, bad platform") {
    Workspace ws;
    ws.set_dockerfile(kDockerfile);
    ws.set_files(files("export const x = 1;"));
    WorkspaceOptions o;
    o.target = "builder";
    ws.set_options(o);
    const auto& r = ws.result();
    CHECK(r.build->target == 0);
    CHECK(r.cache.skipped > 0);
    o.platform = "not a platform";
    ws.set_options(o);
    CHECK(!ws.result().input_diagnostics.empty());
  }

  TEST_CASE("user images override the catalog, and bad image JSON is a diagnostic") {
    Workspace ws;
    ws.set_dockerfile("FROM mycorp/base:1\nRUN echo hi\n");
    auto d = ws.add_images_json("{not json");
    CHECK(!d.empty());
    CHECK(!ws.result().input_diagnostics.empty());
    ws.clear_images();
    CHECK(ws.result().input_diagnostics.empty());
  }

  TEST_CASE("workspace_json has the CLI's shapes") {
    Workspace ws;
    ws.set_dockerfile(kDockerfile);
    ws.set_files(files("export const x = 1;"));
    auto j = workspace_json(ws, ws.result());
    CHECK(j["analysis"]["stage_count"] == 2);
    CHECK(j["build"]["stages"].size() == 2);
    CHECK(j["build"]["image"]["size_bytes"].get<uint64_t>() > 0);
    CHECK(j["cache"]["steps"].size() > 0);
    CHECK(j["checks"].is_object());
    CHECK(j["builds"] == 0);
  }
}
