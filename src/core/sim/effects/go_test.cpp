#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

namespace {

Vfs go_project() {
  Vfs fs;
  add_file(fs, "/src/go.mod",
           "module github.com/acme/server\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n"
           "\tgithub.com/jackc/pgx/v5 v5.5.5\n\tgolang.org/x/text v0.14.0 // indirect\n)\n");
  add_file(fs, "/src/go.sum", "github.com/go-chi/chi/v5 v5.0.12 h1:x\n");
  add_file(fs, "/src/cmd/server/main.go", std::string(2000, 'm'));
  add_file(fs, "/src/internal/db/db.go", std::string(1000, 'd'));
  add_file(fs, "/src/internal/db/db_test.go", std::string(500, 't'));
  add_file(fs, "/src/README.md", "# server\n");
  return fs;
}

Step golang() {
  Step s;
  s.workdir = "/src";
  s.os_family = "alpine";
  s.package_manager = "apk";
  s.env = {{"GOPATH", "/go"}, {"PATH", "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
  return s;
}

}  // namespace

TEST_SUITE("effects.go") {
  TEST_CASE("go mod download fills GOPATH/pkg/mod from go.mod requirements") {
    Vfs fs = go_project();
    Effect e = run(fs, "go mod download", golang());
    CHECK_FALSE(e.unknown);
    const FileChange* mc = put_of(e, "/go/pkg/mod");
    REQUIRE(mc);
    CHECK(mc->node.summary);
    CHECK(mc->node.size == 12'000'000);  // 3 modules x 4 MB
    CHECK(mc->node.source.find("github-mcp-server") != std::string::npos);
    CHECK(e.output_key != 0);
    // Already downloaded: nothing new.
    Vfs done = after(fs, e);
    CHECK_FALSE(put_of(run(done, "go mod download", golang()), "/go/pkg/mod"));
    // On a cache mount: nothing in the layer, faster when warm.
    Step m = golang();
    m.mounts.push_back({MountInfo::Kind::Cache, "/go/pkg/mod", nullptr, "/", false});
    Effect c = run(fs, "go mod download", m);
    CHECK(written_under(c, "/go/pkg/mod") == 0);
    CHECK(c.seconds_warm_mount < c.seconds_cold);
    Vfs none;
    CHECK(has_failure(run(none, "go mod download", golang()), "go.mod file not found"));
  }

  TEST_CASE("go build: binary size, -s -w, build cache, names") {
    Vfs fs = after(go_project(), run(go_project(), "go mod download", golang()));
    Effect e = run(fs, "CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server", golang());
    CHECK_FALSE(e.unknown);
    CHECK_FALSE(e.would_fail);
    const FileChange* bin = put_of(e, "/app/server");
    REQUIRE(bin);
    CHECK(bin->node.mode == 0755);
    CHECK(bin->node.estimated);
    // 6.46 MB x 1.07 + 2 direct deps x 0.5 MB + 50% of 3000 bytes of non-test sources.
    CHECK(bin->node.size == static_cast<uint64_t>(6.46e6 * 1.07 + 1e6 + 1500 + 0.5));
    CHECK(put_of(e, "/root/.cache/go-build"));
    CHECK(has_note(e, "build cache"));
    CHECK_FALSE(put_of(e, "/go/pkg/mod"));  // already downloaded
    Effect s = run(fs, "CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app/server ./cmd/server", golang());
    CHECK(put_of(s, "/app/server")->node.size < bin->node.size * 0.75);
    Effect n = run(fs, "go build ./cmd/server", golang());
    CHECK(put_of(n, "/src/server"));
    Effect dot = run(fs, "go build", golang());
    CHECK(put_of(dot, "/src/server"));  // module path's last element
    Effect dir = run(fs, "go build -o /out/ ./cmd/server", golang());
    CHECK(put_of(dir, "/out/server"));
    Effect inst = run(fs, "go install ./cmd/server", golang());
    CHECK(put_of(inst, "/go/bin/server"));
    // Without go mod download first, go build downloads what it needs (into the layer).
    Effect cold = run(go_project(), "go build -o /app/server ./cmd/server", golang());
    CHECK(put_of(cold, "/go/pkg/mod"));
    CHECK(put_of(cold, "/go/pkg/mod")->node.size < 12'000'000);
  }

  TEST_CASE("go build output_key: sources and go.mod matter, README and tests do not") {
    Vfs fs = go_project();
    Effect base = run(fs, "CGO_ENABLED=0 go build -o /app/server ./cmd/server", golang());
    Vfs readme = fs;
    add_file(readme, "/src/README.md", "# changed\n");
    add_file(readme, "/src/internal/db/db_test.go", "package db // changed test\n");
    CHECK(run(readme, "CGO_ENABLED=0 go build -o /app/server ./cmd/server", golang()).output_key == base.output_key);
    Vfs src = fs;
    add_file(src, "/src/internal/db/db.go", "package db // changed\n");
    CHECK(run(src, "CGO_ENABLED=0 go build -o /app/server ./cmd/server", golang()).output_key != base.output_key);
    CHECK(run(fs, "CGO_ENABLED=1 go build -o /app/server ./cmd/server", golang()).output_key != base.output_key);
    CHECK(run(fs, "GOARCH=arm64 CGO_ENABLED=0 go build -o /app/server ./cmd/server", golang()).output_key != base.output_key);
    Effect date = run(fs, "go build -ldflags \"-X main.date=$(date -u +%Y-%m-%d)\" -o /app/server ./cmd/server", golang());
    CHECK(date.non_reproducible);
    CHECK(date.output_key == 0);
  }

  TEST_CASE("cache mounts for the Go caches") {
    Vfs fs = go_project();
    Step m = golang();
    m.mounts.push_back({MountInfo::Kind::Cache, "/go/pkg/mod", nullptr, "/", false});
    m.mounts.push_back({MountInfo::Kind::Cache, "/root/.cache/go-build", nullptr, "/", false});
    Effect e = run(fs, "go build -o /app/server ./cmd/server", m);
    CHECK(put_of(e, "/app/server"));
    CHECK(written_under(e, "/go") == 0);
    CHECK(written_under(e, "/root/.cache") == 0);
    CHECK(e.cache_bytes > 70'000'000);
    CHECK(e.seconds_warm_mount < e.seconds_cold / 2);
  }

  TEST_CASE("go build without go.mod fails; go vet/test only fill caches; go run is unknown") {
    Vfs fs;
    add_file(fs, "/src/main.go", "package main\nfunc main(){}\n");
    CHECK(has_failure(run(fs, "go build ./...", golang()), "go.mod file not found"));
    CHECK_FALSE(run(fs, "go build main.go", golang()).would_fail);
    Vfs p = go_project();
    Effect t = run(p, "go vet ./... && go test ./...", golang());
    CHECK_FALSE(t.unknown);
    CHECK(put_of(t, "/root/.cache/go-build"));
    CHECK(run(p, "go run ./cmd/server", golang()).unknown);
    CHECK(run(p, "go generate ./...", golang()).unknown);
  }

  TEST_CASE("go clean, go mod tidy/vendor, go get") {
    Vfs fs = after(go_project(), run(go_project(), "go mod download && go build -o /app/server ./cmd/server", golang()));
    Effect c = run(fs, "go clean -cache -modcache", golang());
    CHECK(removes(c, "/go/pkg/mod"));
    CHECK(removes(c, "/root/.cache/go-build"));
    CHECK(put_of(run(go_project(), "go mod vendor", golang()), "/src/vendor"));
    CHECK(put_of(run(go_project(), "go mod tidy", golang()), "/src/go.sum"));
    CHECK(put_of(run(go_project(), "go get github.com/x/y@v1.2.3", golang()), "/src/go.mod"));
  }
}
