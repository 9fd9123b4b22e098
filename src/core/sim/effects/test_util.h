// Helpers for the effect tests: small in-memory filesystems and a one-call RUN simulation.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/effects.h"
#include "sim/vfs.h"

namespace dfplay::sim::testing {

inline void add_file(Vfs& fs, std::string_view path, std::string content, uint32_t mode = 0644) {
  fs.put(path, file_node(std::move(content), 1, mode));
}

struct Step {
  std::vector<std::pair<std::string, std::string>> env;
  std::string workdir = "/app";
  std::string user;
  std::string os_family = "debian";
  std::string package_manager = "apt";
  bool has_shell = true;
  std::vector<MountInfo> mounts;
  const Annotation* annotation = nullptr;
  std::vector<std::string> exec_args;
};

inline Effect run(const Vfs& fs, std::string_view command, const Step& s = {}) {
  RunInput in{.command = command,
              .exec_args = s.exec_args,
              .shell_form = s.exec_args.empty(),
              .fs = fs,
              .env = s.env,
              .workdir = s.workdir,
              .user = s.user,
              .os_family = s.os_family,
              .has_shell = s.has_shell,
              .package_manager = s.package_manager,
              .cache_mounts = s.mounts,
              .annotation = s.annotation,
              .layer = 7};
  return simulate_run(in);
}

// Applies an effect to a copy of the filesystem.
inline Vfs after(const Vfs& fs, const Effect& e) {
  Vfs out = fs;
  out.apply(e.changes);
  return out;
}

// Size written under `path` by the effect (Puts at or below it).
inline uint64_t written_under(const Effect& e, std::string_view path) {
  uint64_t total = 0;
  for (const auto& c : e.changes)
    if (c.op == FileChange::Op::Put && is_within(c.path, path)) total += c.node.size;
  return total;
}

inline const FileChange* put_of(const Effect& e, std::string_view path) {
  for (const auto& c : e.changes)
    if (c.op == FileChange::Op::Put && c.path == path) return &c;
  return nullptr;
}

inline bool removes(const Effect& e, std::string_view path) {
  for (const auto& c : e.changes)
    if (c.op == FileChange::Op::Remove && c.path == path) return true;
  return false;
}

inline bool has_tool(const Effect& e, std::string_view tool) {
  for (const auto& r : e.recognised)
    if (r.tool == tool) return true;
  return false;
}

inline bool has_note(const Effect& e, std::string_view fragment) {
  for (const auto& n : e.notes)
    if (n.find(fragment) != std::string::npos) return true;
  return false;
}

inline bool has_failure(const Effect& e, std::string_view fragment) {
  for (const auto& n : e.failures)
    if (n.find(fragment) != std::string::npos) return true;
  return false;
}

// A Node project: package.json with 3 dependencies and 5 devDependencies (typescript among them).
inline Vfs node_project() {
  Vfs fs;
  add_file(fs, "/app/package.json", R"({
  "name": "demo",
  "version": "1.0.0",
  "scripts": { "build": "tsc", "start": "node dist/server.js", "lint": "eslint src" },
  "dependencies": { "express": "^4.19.2", "dotenv": "^16.4.5", "zod": "^3.23.8" },
  "devDependencies": { "typescript": "^5.4.5", "@types/node": "^20.12.7", "@types/express": "^4.17.21",
                       "eslint": "^8.57.0", "ts-node": "^10.9.2" }
})");
  add_file(fs, "/app/package-lock.json", R"({"name":"demo","lockfileVersion":3,"requires":true,"packages":{
    "":{"name":"demo"},
    "node_modules/express":{"version":"4.19.2"},
    "node_modules/dotenv":{"version":"16.4.5"},
    "node_modules/zod":{"version":"3.23.8"},
    "node_modules/typescript":{"version":"5.4.5","dev":true},
    "node_modules/eslint":{"version":"8.57.0","dev":true}}})");
  return fs;
}

inline void add_sources(Vfs& fs) {
  add_file(fs, "/app/tsconfig.json", R"({
  // comments and trailing commas are allowed in tsconfig.json
  "compilerOptions": { "outDir": "dist", "rootDir": "src", "target": "ES2022", },
  "include": ["src"],
})");
  add_file(fs, "/app/src/server.ts", std::string(4000, 'a'));
  add_file(fs, "/app/src/a.ts", "export const a = 1;\n");
  add_file(fs, "/app/src/lib/util.ts", "export function f() { return 2; }\n");
  add_file(fs, "/app/src/types.d.ts", "declare const x: number;\n");
  add_file(fs, "/app/README.md", "# demo\n");
}

// A base image as the catalog models it: a few summaries and the account files.
inline void add_base_image(Vfs& fs, std::string_view family) {
  auto summary = [&](std::string_view path, uint64_t size) { fs.put(path, summary_node(size, content_hash(path), 0, "base image")); };
  summary("/bin", 1'000'000);
  summary("/lib", 3'000'000);
  summary("/sbin", 500'000);
  summary("/usr/bin", 5'000'000);
  summary("/usr/lib", 20'000'000);
  summary("/usr/share", 5'000'000);
  fs.mkdir_p("/tmp", 0);
  fs.mkdir_p("/root", 0);
  fs.mkdir_p("/var/cache", 0);
  fs.mkdir_p("/var/lib", 0);
  fs.mkdir_p("/home", 0);
  fs.put("/etc/passwd", file_node("root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n", 0));
  fs.put("/etc/group", file_node("root:x:0:\nnode:x:1000:\n", 0));
  fs.put("/etc/os-release", file_node("ID=" + std::string(family) + "\n", 0));
  if (family == "node") {
    fs.put("/usr/local/bin/node", file_node(std::string(), 0, 0755));
    fs.put("/usr/local/lib/node_modules/npm", summary_node(19'000'000, 3, 0, "npm"));
    fs.put("/usr/local/bin/npm", symlink_node("../lib/node_modules/npm/bin/npm-cli.js", 0));
    fs.put("/opt/yarn-v1.22.22", summary_node(5'000'000, 4, 0, "yarn"));
    fs.mkdir_p("/home/node", 0, 1000, 1000);
  } else if (family == "golang") {
    fs.put("/usr/local/go", summary_node(220'000'000, 5, 0, "go"));
    fs.mkdir_p("/go/bin", 0);
    fs.mkdir_p("/go/src", 0);
  } else if (family == "dotnet") {
    fs.put("/usr/share/dotnet", summary_node(580'000'000, 6, 0, "dotnet"));
    fs.put("/usr/bin/dotnet", symlink_node("../share/dotnet/dotnet", 0));
  }
}

struct SeedCase {
  std::string command;
  Vfs fs;
  Step step;
};

// The RUN steps of the seed tutorial (docker-multi-stage-builds.txt), each with the filesystem
// its stage has at that point (base image + COPY'd context files + earlier RUNs).
inline const std::vector<SeedCase>& seed_cases() {
  static const std::vector<SeedCase> cases = [] {
    std::vector<SeedCase> out;
    // Node builder: COPY package*.json ./ ; RUN npm ci ; COPY . . ; RUN npm run build
    Vfs node;
    add_base_image(node, "node");
    Vfs proj = node_project();
    for (const auto& [p, n] : proj.entries()) if (p != "/") node.put(p, n);
    Step ns;
    ns.os_family = "alpine";
    ns.package_manager = "apk";
    ns.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, {"NODE_VERSION", "20.12.2"},
              {"YARN_VERSION", "1.22.22"}};
    out.push_back({"npm ci", node, ns});
    Vfs built = after(node, run(node, "npm ci", ns));
    add_sources(built);
    add_file(built, "/app/.dockerignore", "node_modules\n");
    add_file(built, "/app/Dockerfile", "FROM node:20-alpine\n");
    out.push_back({"npm run build", built, ns});
    out.push_back({"npm ci --omit=dev", node, ns});
    // .NET builder: COPY *.csproj ./ ; RUN dotnet restore ; COPY . . ; RUN dotnet publish ...
    Vfs dn;
    add_base_image(dn, "dotnet");
    add_file(dn, "/src/MyApp.csproj",
             "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework>"
             "</PropertyGroup></Project>\n");
    Step ds;
    ds.workdir = "/src";
    ds.os_family = "debian";
    ds.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, {"DOTNET_VERSION", "8.0.11"},
              {"DOTNET_NOLOGO", "true"}, {"NUGET_XMLDOC_MODE", "skip"}, {"APP_UID", "1654"}};
    out.push_back({"dotnet restore", dn, ds});
    Vfs dn2 = after(dn, run(dn, "dotnet restore", ds));
    add_file(dn2, "/src/Program.cs", std::string(1500, 'c'));
    add_file(dn2, "/src/appsettings.json", "{\"Logging\":{}}\n");
    add_file(dn2, "/src/appsettings.Development.json", "{}\n");
    add_file(dn2, "/src/Properties/launchSettings.json", "{}\n");
    add_file(dn2, "/src/README.md", "# app\n");
    out.push_back({"dotnet publish -c Release -o /app/publish --no-restore", dn2, ds});
    // Go builder: COPY go.mod go.sum ./ ; RUN go mod download ; COPY . . ; RUN go build ...
    Vfs go;
    add_base_image(go, "golang");
    add_file(go, "/src/go.mod", "module example.com/server\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n)\n");
    add_file(go, "/src/go.sum", "github.com/go-chi/chi/v5 v5.0.12 h1:x\ngithub.com/go-chi/chi/v5 v5.0.12/go.mod h1:y\n");
    Step gs;
    gs.workdir = "/src";
    gs.os_family = "alpine";
    gs.package_manager = "apk";
    gs.env = {{"PATH", "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
              {"GOLANG_VERSION", "1.22.5"}, {"GOTOOLCHAIN", "local"}, {"GOPATH", "/go"}};
    out.push_back({"go mod download", go, gs});
    Vfs go2 = after(go, run(go, "go mod download", gs));
    add_file(go2, "/src/cmd/server/main.go", std::string(1200, 'm'));
    add_file(go2, "/src/internal/api/api.go", std::string(2500, 'a'));
    add_file(go2, "/src/internal/api/api_test.go", std::string(900, 't'));
    add_file(go2, "/src/README.md", "# server\n");
    out.push_back({"CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server", go2, gs});
    return out;
  }();
  return cases;
}

}  // namespace dfplay::sim::testing
