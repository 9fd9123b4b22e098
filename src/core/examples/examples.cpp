#include "examples/examples.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

namespace dfplay::examples {

namespace {

// What the files cannot say. Order = presentation order.
struct Meta {
  const char* id;
  const char* title;
  const char* description;
  std::vector<const char*> claims;
  const char* target = "";
  std::vector<std::pair<const char*, const char*>> build_args = {};
  const char* compare_with = "";
};

const std::vector<Meta>& metadata() {
  static const std::vector<Meta> m = {
      {"node-multistage", "Node.js + TypeScript, multi-stage",
       "An Express API written in TypeScript. The builder stage installs every dependency, "
       "devDependencies included, and compiles src/ to dist/ with tsc; the production stage starts "
       "again from node:20-alpine, installs only the runtime dependencies and takes nothing from the "
       "builder but dist/. The compiler, the type definitions, the linter and the test runner never "
       "reach the final image, which also runs as the unprivileged node user. One line differs from "
       "the tutorial: its COPY --from=builder line ends with '# copy compiled output only', and since "
       "BuildKit only treats '#' as a comment at the start of a line, a real build would look for "
       "sources named '#', 'copy', 'compiled'... and fail. Here the comment sits on its own line.",
       {"With multi-stage builds: Build stage: compile TypeScript, install all deps",
        "Production stage: node:20-alpine + only runtime files = ~200 MB",
        "The final image contains: Node.js runtime, node_modules (prod deps only), compiled dist/ files",
        "TypeScript compiler and dev dependencies are left behind in the builder stage",
        "Never run containers as root — add USER node or equivalent",
        "Only copy what the final stage needs (--from=builder /app/dist)",
        "Use .dockerignore to prevent node_modules, .git, and secrets from being sent to the build context"},
       "", {}, "node-naive"},
      {"node-naive", "Node.js + TypeScript, naive single stage",
       "The same project built the way the tutorial warns against: one stage on the full Debian-based "
       "node:20 image that copies the whole context, installs all dependencies and compiles in place. "
       "It works, but the image ships the TypeScript sources, the compiler and every devDependency "
       "next to the compiled code, keeps npm's cache, and runs as root. Compare it with "
       "node-multistage to see where the size goes.",
       {"A Node.js app built naively: node:20 image = 1.1 GB",
        "+ your app + node_modules = 1.2–1.5 GB"},
       "", {}, "node-multistage"},
      {"dotnet-multistage", ".NET 8 minimal API, SDK vs runtime image",
       "An ASP.NET Core minimal API with three NuGet packages. The project file is copied alone first "
       "so that dotnet restore stays cached while only code changes; the SDK image then publishes a "
       "Release build to /app/publish. The runtime stage is the much smaller aspnet image holding "
       "nothing but the published output, started with dotnet MyApp.dll on port 8080.",
       {"The SDK image (~800 MB) is only used to build",
        "The runtime image (~200 MB) is what gets deployed"}},
      {"static-nginx", "Static site built with Vite, served by nginx",
       "A landing page bundled by Vite in a Node.js builder stage. The final stage is plain "
       "nginx:alpine: it receives the generated dist/ folder as its document root and a small server "
       "configuration, and contains no Node.js, no node_modules and no sources.",
       {"Final image: just nginx + static files. No Node.js at all."}},
      {"go-distroless", "Go service on distroless",
       "An HTTP service in Go with three module dependencies. go.mod and go.sum are copied before the "
       "sources so the module download is cached; the binary is built statically (CGO_ENABLED=0) and "
       "copied alone into gcr.io/distroless/static:nonroot, an image without shell or package "
       "manager that runs as a non-root user.",
       {"Go compiles to a single binary — the final image can be scratch or distroless",
        "Result: ~5–20 MB image with no shell, no package manager, no vulnerabilities from unused packages"}},
      {"cache-order", "Cache-friendly instruction order",
       "The tutorial's ordering advice as a complete Dockerfile: the package manifests are copied and "
       "installed before the sources. Edit a file under src/ and rebuild: the npm ci layer is reused "
       "and only the source copy and the build run again. Compare with cache-order-naive.",
       {"Order Dockerfile instructions from least to most frequently changing",
        "If source code changes but package.json doesn’t, Docker uses the cached npm ci layer."},
       "", {}, "cache-order-naive"},
      {"cache-order-naive", "Cache-unfriendly instruction order",
       "The same build with the whole context copied before npm ci. Any edit, even to a single source "
       "file, changes the checksum of that COPY, so every step after it, the dependency install "
       "included, runs again on each build.",
       {"Order Dockerfile instructions from least to most frequently changing"},
       "", {}, "cache-order"},
      {"build-arg", "Base image version as a build argument",
       "The Node.js example with its base image version in a global ARG declared before the first "
       "FROM. Such an argument is visible to FROM lines only; docker build --build-arg "
       "NODE_VERSION=22 switches both stages to node:22-alpine without editing the Dockerfile.",
       {"ARG NODE_VERSION=20 / FROM node:${NODE_VERSION}-alpine AS builder",
        "docker build --build-arg NODE_VERSION=22 -t my-app ."},
       "", {{"NODE_VERSION", "22"}}, ""},
  };
  return m;
}

// Splits the bundle into files by example id. Stops at the first malformed record.
std::map<std::string, std::vector<File>, std::less<>> parse_bundle(std::string_view b) {
  std::map<std::string, std::vector<File>, std::less<>> out;
  size_t pos = 0;
  while (pos < b.size()) {
    size_t eol = b.find('\n', pos);
    if (eol == std::string_view::npos || b.compare(pos, 2, "F ") != 0) break;
    std::string_view header = b.substr(pos + 2, eol - pos - 2);
    size_t sp = header.find(' ');
    if (sp == std::string_view::npos) break;
    size_t size = 0;
    auto [p, ec] = std::from_chars(header.data(), header.data() + sp, size);
    if (ec != std::errc() || p != header.data() + sp) break;
    std::string_view rel = header.substr(sp + 1);
    size_t slash = rel.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == rel.size()) break;
    if (size > b.size() - (eol + 1)) break;
    File f;
    f.path = std::string(rel.substr(slash + 1));
    f.content = std::string(b.substr(eol + 1, size));
    out[std::string(rel.substr(0, slash))].push_back(std::move(f));
    pos = eol + 1 + size;
  }
  for (auto& [id, files] : out)
    std::sort(files.begin(), files.end(), [](const File& x, const File& y) { return x.path < y.path; });
  return out;
}

std::vector<Example> build_all() {
  auto files = parse_bundle(detail::embedded_examples_bundle());
  std::vector<Example> all;
  all.reserve(metadata().size());
  for (const Meta& m : metadata()) {
    Example ex;
    ex.id = m.id;
    ex.title = m.title;
    ex.description = m.description;
    for (const char* c : m.claims) ex.claims.emplace_back(c);
    ex.target = m.target;
    for (auto [k, v] : m.build_args) ex.build_args.emplace_back(k, v);
    ex.compare_with = m.compare_with;
    if (auto it = files.find(ex.id); it != files.end()) ex.files = std::move(it->second);
    if (const File* df = ex.file(ex.dockerfile_path)) ex.dockerfile = df->content;
    all.push_back(std::move(ex));
  }
  return all;
}

nlohmann::ordered_json json_of(const Example& ex) {
  nlohmann::ordered_json j;
  j["id"] = ex.id;
  j["title"] = ex.title;
  j["description"] = ex.description;
  j["claims"] = ex.claims;
  j["dockerfile_path"] = ex.dockerfile_path;
  j["dockerfile"] = ex.dockerfile;
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (const File& f : ex.files) files[f.path] = f.content;
  j["files"] = std::move(files);
  j["target"] = ex.target;
  nlohmann::ordered_json args = nlohmann::ordered_json::object();
  for (const auto& [k, v] : ex.build_args) args[k] = v;
  j["build_args"] = std::move(args);
  j["compare_with"] = ex.compare_with;
  return j;
}

}  // namespace

const File* Example::file(std::string_view path) const {
  for (const File& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

const std::vector<Example>& builtin() {
  static const std::vector<Example> all = build_all();
  return all;
}

const Example* find(std::string_view id) {
  for (const Example& ex : builtin())
    if (ex.id == id) return &ex;
  return nullptr;
}

context::BuildContext to_context(const Example& ex) {
  context::ContextBuilder b;
  for (const File& f : ex.files) b.add_file(f.path, f.content, f.mode);
  return b.build();
}

std::string to_json(const Example& ex, int indent) {
  // Example files are our own UTF-8 text; replace rather than throw if that ever changes.
  return json_of(ex).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string to_json(int indent) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const Example& ex : builtin()) arr.push_back(json_of(ex));
  return arr.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace dfplay::examples
