// The catalog's compiled form: images as a compact byte string (no JSON, no field names), written
// at build time by the catalog compiler (catalog_compiler_main.cpp) from images.json after the
// built-in rules have checked it, and read back by Catalog::builtin() at start-up (a linear copy:
// no JSON parsing, no references to parse).
//
// Encoding: unsigned integers as LEB128 varints; a string as its length then its bytes; a list
// as its count then its items; an Image's fields in the order of encode_image() (blob.cpp). A
// digest equal to the synthetic one (synthetic_digest()) is a 0 and computed again when
// decoding; any other is a 1 and the string.
// The first varint is kBlobVersion: a blob from another version is refused.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace dfplay::catalog::detail {

constexpr unsigned kBlobVersion = 1;

std::string encode_images(const std::vector<Image>& images);
// False (and `out` unspecified) when the bytes are not a complete blob of kBlobVersion.
bool decode_images(std::string_view bytes, std::vector<Image>& out);

// True when two images agree on every field (to_json() plus the parsed reference).
bool same_image(const Image& a, const Image& b);

// The compiled-in blob (the generated catalog_data.cpp; see src/core/CMakeLists.txt).
std::string_view builtin_catalog_blob();

}  // namespace dfplay::catalog::detail
