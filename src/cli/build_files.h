// What `dfplay build` and `dfplay check` read from disk for a context directory: the
// Dockerfile, the context's files and the image catalog (the built-in one plus --images FILE).
#pragma once
#include <string>

#include "catalog/catalog.h"
#include "context/build_context.h"
#include "request.h"

namespace dfplay::cli {

struct BuildFiles {
  std::string dockerfile_file;  // the Dockerfile as opened (for messages)
  std::string dockerfile_path;  // its path inside the context ("Dockerfile" when it lies outside)
  std::string dockerfile;       // its text
  context::BuildContext context;
  catalog::Catalog catalog = catalog::Catalog::builtin();

  // The request for these files (they must outlive it and what is made from it).
  Request request(const BuildOptions& options) const {
    Request r;
    r.dockerfile = dockerfile;
    r.dockerfile_path = dockerfile_path;
    r.context = &context;
    r.catalog = &catalog;
    r.options = options;
    return r;
  }
};

// `file` (from -f) is used as given, or relative to `dir` when it does not exist as given;
// without it, DIR/Dockerfile. `images` ("" for none) is a JSON file of user images added to the
// catalog (its diagnostics are printed). Context warnings are printed; errors too, and then
// false is returned (the command exits with status 2).
bool load_build_files(const std::string& dir, const std::string& file, const std::string& images, BuildFiles& out);

}  // namespace dfplay::cli
