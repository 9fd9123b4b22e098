// The built-in catalog: the blob the catalog compiler wrote from images.json at build time
// (blob.h), decoded once. Kept apart from catalog.cpp so that the compiler, which links the rest
// of the module, does not need the data it is about to produce.
#include "catalog/blob.h"
#include "catalog/catalog.h"

namespace dfplay::catalog {

const Catalog& Catalog::builtin() {
  static const Catalog instance = [] {
    Catalog c;
    // The blob was written by this version's encoder (same build): decoding cannot fail unless
    // the build is broken, which the catalog tests would show (an empty catalog).
    if (!detail::decode_images(detail::builtin_catalog_blob(), c.images_)) c.images_.clear();
    c.reindex();
    return c;
  }();
  return instance;
}

}  // namespace dfplay::catalog
