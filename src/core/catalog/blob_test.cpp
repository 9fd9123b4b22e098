#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "catalog/blob.h"
#include "catalog/catalog.h"

using namespace dfplay::catalog;

namespace {

std::string images_json() {
  std::ifstream in(DFPLAY_SOURCE_DIR "/src/core/catalog/images.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("catalog blob: the compiled-in catalog is images.json, image for image") {
  // What the build compiled in must be what the JSON says today (the build regenerates it on
  // every change of images.json; this catches a stale or mis-encoded blob).
  dfplay::Diagnostics diags;
  Catalog loaded = Catalog::from_builtin_json(images_json(), &diags);
  REQUIRE(diags.empty());
  const Catalog& builtin = Catalog::builtin();
  REQUIRE(builtin.size() == loaded.size());
  for (size_t i = 0; i < loaded.size(); ++i) {
    CAPTURE(loaded.images()[i].reference);
    CHECK(detail::same_image(builtin.images()[i], loaded.images()[i]));
  }
  CHECK(builtin.to_json() == loaded.to_json());
  // The indexes are rebuilt from the decoded images: look-ups answer as from the JSON.
  for (const char* ref : {"node:20", "node:iron", "nginx", "gcr.io/distroless/static:nonroot",
                          "python:3.13-slim", "myorg/node-app:1", "scratch"}) {
    CAPTURE(ref);
    CHECK(to_json(builtin.lookup(ref)) == to_json(loaded.lookup(ref)));
  }
  CHECK(builtin.repositories() == loaded.repositories());
}

TEST_CASE("catalog blob: every field survives encoding, user images and estimates too") {
  Catalog c = Catalog::builtin();
  auto diags = c.add_json(R"({"images": [
    {"reference": "example.com/team/app:1.2", "aliases": ["example.com/team/app:stable"],
     "extends": "node:20-alpine", "description": "ours \u00e9 \u2603", "deprecated": "use 1.3",
     "users": [{"name": "app", "uid": 4242}], "directories": [{"path": "/srv", "size": 123456789012}],
     "config": {"user": "app", "workdir": "/srv", "env": ["A=1", "B="], "entrypoint": ["/init"],
                "cmd": ["serve", "--port", "80"], "exposed_ports": ["80/tcp"], "volumes": ["/data"],
                "stop_signal": "SIGQUIT"}}]})");
  for (const auto& d : diags) MESSAGE(d.message);
  const Image* user = c.find("example.com/team/app:1.2");
  REQUIRE(user);
  std::vector<Image> images{*user};
  images.push_back(Catalog::builtin().lookup("ghcr.io/someone/unknown-thing:7").image);
  images.push_back(Image{});  // every field empty
  std::string blob = detail::encode_images(images);
  std::vector<Image> back;
  REQUIRE(detail::decode_images(blob, back));
  REQUIRE(back.size() == images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    CAPTURE(i);
    CHECK(detail::same_image(back[i], images[i]));
  }
  CHECK(back[0].origin == Origin::User);
  CHECK(back[1].origin == Origin::Estimate);
  CHECK(back[0].directories.back().size == 123456789012u);
}

TEST_CASE("catalog blob: a truncated, corrupt or foreign blob is refused without reading past it") {
  std::string blob = detail::encode_images(Catalog::builtin().images());
  std::vector<Image> out;
  REQUIRE(detail::decode_images(blob, out));
  for (size_t cut : {size_t(0), size_t(1), size_t(2), blob.size() / 3, blob.size() - 1}) {
    CAPTURE(cut);
    CHECK_FALSE(detail::decode_images(std::string_view(blob).substr(0, cut), out));
  }
  CHECK_FALSE(detail::decode_images(blob + "x", out));  // trailing bytes
  std::string other = blob;
  other[0] = static_cast<char>(detail::kBlobVersion + 1);
  CHECK_FALSE(detail::decode_images(other, out));
  // A huge count or length: refused, not allocated.
  CHECK_FALSE(detail::decode_images(std::string("\x01\xff\xff\xff\xff\x0f", 6), out));
  std::string garbage(4096, '\xff');
  garbage[0] = 1;
  CHECK_FALSE(detail::decode_images(garbage, out));
}
