// The catalog compiler, run at build time (src/core/CMakeLists.txt): reads images.json, checks it
// with the built-in catalog's strict rules (any diagnostic fails the build, with its line and
// column), and writes a .cpp holding the images as a compact blob (blob.h) that
// Catalog::builtin() decodes at start-up instead of parsing JSON.
//   dfplay_catalog_compiler IMAGES_JSON OUTPUT_CPP
// In the web build this is a wasm program run by Node (CMake's cross-compiling emulator).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "catalog/blob.h"
#include "catalog/catalog.h"

using namespace dfplay;

namespace {

bool read_file(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::string cpp_source(std::string_view blob) {
  std::string out =
      "// Generated from src/core/catalog/images.json by the catalog compiler\n"
      "// (src/core/catalog/catalog_compiler_main.cpp). Do not edit.\n"
      "#include <string_view>\n\n"
      "namespace dfplay::catalog::detail {\n"
      "namespace {\n"
      "const unsigned char kBlob[] = {\n";
  for (size_t i = 0; i < blob.size(); ++i) {
    out += std::to_string(static_cast<unsigned char>(blob[i]));
    out += (i + 1) % 24 == 0 || i + 1 == blob.size() ? ",\n" : ",";
  }
  out +=
      "};\n"
      "}  // namespace\n\n"
      "std::string_view builtin_catalog_blob() {\n"
      "  return {reinterpret_cast<const char*>(kBlob), sizeof kBlob};\n"
      "}\n\n"
      "}  // namespace dfplay::catalog::detail\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dfplay_catalog_compiler IMAGES_JSON OUTPUT_CPP\n";
    return 2;
  }
  std::string text;
  if (!read_file(argv[1], text)) {
    std::cerr << argv[1] << ": cannot read\n";
    return 1;
  }
  Diagnostics diags;
  catalog::Catalog cat = catalog::Catalog::from_builtin_json(text, &diags);
  for (const auto& d : diags) std::cerr << format_diagnostic(d, argv[1]) << "\n";
  if (!diags.empty()) {
    std::cerr << argv[1] << ": the built-in catalog must load without problems\n";
    return 1;
  }
  std::string blob = catalog::detail::encode_images(cat.images());
  // The blob must give back exactly what was loaded.
  std::vector<catalog::Image> back;
  if (!catalog::detail::decode_images(blob, back) || back.size() != cat.images().size()) {
    std::cerr << "catalog compiler: the blob does not decode\n";
    return 1;
  }
  for (size_t i = 0; i < back.size(); ++i) {
    if (!catalog::detail::same_image(back[i], cat.images()[i])) {
      std::cerr << "catalog compiler: " << back[i].reference << " does not survive the blob\n";
      return 1;
    }
  }
  std::string source = cpp_source(blob);
  std::string existing;
  if (read_file(argv[2], existing) && existing == source) return 0;  // unchanged: no rebuild
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << source;
  out.close();
  if (!out) {
    std::cerr << argv[2] << ": cannot write\n";
    return 1;
  }
  return 0;
}
