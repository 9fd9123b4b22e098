// The built-in examples: small, realistic build contexts (Dockerfile, sources, manifests,
// .dockerignore) for the seed tutorial's Dockerfiles (../shared/seed/), compiled into the core.
//
// The files live in <repo>/examples/<id>/ (real directories: `docker build examples/<id>`
// works on them); src/core/CMakeLists.txt packs them into the library at build time, and the
// titles, descriptions and seed claims are in examples.cpp. See docs/examples.md.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context/build_context.h"

namespace dfplay::examples {

struct File {
  std::string path;     // relative to the context root, '/'-separated ("src/server.ts")
  std::string content;  // the bytes (all example files are text)
  uint32_t mode = 0644;
};

struct Example {
  std::string id;           // folder name under examples/ ("node-multistage")
  std::string title;        // one line
  std::string description;  // one paragraph
  std::vector<std::string> claims;  // the seed's statements this example illustrates (quoted)
  std::string dockerfile_path = "Dockerfile";  // inside the context
  std::string dockerfile;                      // its text (also in `files`)
  std::vector<File> files;  // the whole context in path order, Dockerfile and .dockerignore included
  std::string target;       // suggested --target ("" = the last stage)
  std::vector<std::pair<std::string, std::string>> build_args;  // suggested --build-arg values
  std::string compare_with;  // id of the example to compare it with ("" if none)

  const File* file(std::string_view path) const;  // nullptr if absent
};

// All built-in examples, in presentation order. Built once, on first use.
const std::vector<Example>& builtin();

// The example with this id, or nullptr.
const Example* find(std::string_view id);

// The example's files as a build context (contents kept, modes as given).
context::BuildContext to_context(const Example& ex);

// JSON for the JS API and the web app:
//   {"id", "title", "description", "claims": [...], "dockerfile_path", "dockerfile",
//    "files": {"path": "content", ...}, "target", "build_args": {"NAME": "value"}, "compare_with"}
// `files` is the object form context::context_from_json accepts.
std::string to_json(const Example& ex, int indent = -1);
// All examples: a JSON array of the objects above.
std::string to_json(int indent = -1);

namespace detail {
// The bundle produced by bundle.cmake (records "F <size> <id>/<path>\n<bytes>").
std::string_view embedded_examples_bundle();
}  // namespace detail

}  // namespace dfplay::examples
