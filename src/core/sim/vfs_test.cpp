#include "sim/vfs.h"

#include <doctest/doctest.h>

using namespace dfplay::sim;

TEST_SUITE("vfs") {
  TEST_CASE("clean_abs follows path.Clean and resolves against the directory") {
    CHECK(clean_abs("/a/b/../c/./d/") == "/a/c/d");
    CHECK(clean_abs("x", "/app") == "/app/x");
    CHECK(clean_abs("./x/../y", "/app") == "/app/y");
    CHECK(clean_abs("../../..", "/app") == "/");
    CHECK(clean_abs("", "/app") == "/app");
    CHECK(clean_abs(".", "/") == "/");
    CHECK(clean_abs("//a//b", "/") == "/a/b");
    CHECK(clean_abs("/..", "/x") == "/");
    CHECK(parent_path("/a/b") == "/a");
    CHECK(parent_path("/a") == "/");
    CHECK(base_name("/a/b.txt") == "b.txt");
    CHECK(is_within("/a/b", "/a"));
    CHECK(is_within("/a", "/a"));
    CHECK_FALSE(is_within("/ab", "/a"));
    CHECK(is_within("/x", "/"));
    CHECK(relative_to("/a/b/c", "/a") == "b/c");
    CHECK(relative_to("/a/b", "/") == "a/b");
  }

  TEST_CASE("put creates missing parents as root-owned 0755 directories in the same layer") {
    Vfs fs;
    FileNode n = file_node("hello", 3);
    n.uid = 1000;
    fs.put("/app/src/a.ts", n);
    const FileNode* app = fs.find("/app");
    REQUIRE(app);
    CHECK(app->is_dir());
    CHECK(app->mode == 0755);
    CHECK(app->uid == 0);
    CHECK(app->layer == 3);
    REQUIRE(fs.find("/app/src"));
    const FileNode* f = fs.find("/app/src/a.ts");
    REQUIRE(f);
    CHECK(f->size == 5);
    CHECK(f->hash == content_hash("hello"));
    CHECK(*f->content == "hello");
    CHECK(fs.size() == 4);  // "/", /app, /app/src, /app/src/a.ts
  }

  TEST_CASE("a subtree is the contiguous range from dir/ up to dir0: siblings like /a-b and /a.txt are outside") {
    Vfs fs;
    fs.put("/a/x", file_node("1", 1));
    fs.put("/a/y/z", file_node("22", 1));
    fs.put("/a-b", file_node("333", 1));
    fs.put("/a.txt", file_node("4444", 1));
    fs.put("/a0", file_node("55555", 1));
    std::vector<std::string> seen;
    fs.for_each_under("/a", [&](const std::string& p, const FileNode&) { seen.push_back(p); });
    CHECK(seen == std::vector<std::string>{"/a/x", "/a/y", "/a/y/z"});
    CHECK(fs.size_under("/a") == 3);
    CHECK(fs.size_under("/") == 15);
    CHECK(fs.total_size() == 15);
    // A file: visits itself.
    seen.clear();
    fs.for_each_under("/a-b", [&](const std::string& p, const FileNode&) { seen.push_back(p); });
    CHECK(seen == std::vector<std::string>{"/a-b"});
  }

  TEST_CASE("remove drops the path and its subtree and returns the bytes") {
    Vfs fs;
    fs.put("/var/lib/apt/lists/a", file_node(std::string(100, 'x'), 1));
    fs.put("/var/lib/apt/lists/b", file_node(std::string(50, 'x'), 1));
    fs.put("/var/lib/apt/other", file_node("k", 1));
    CHECK(fs.remove("/var/lib/apt/lists") == 150);
    CHECK_FALSE(fs.exists("/var/lib/apt/lists"));
    CHECK_FALSE(fs.exists("/var/lib/apt/lists/a"));
    CHECK(fs.exists("/var/lib/apt/other"));
    CHECK(fs.remove("/nope") == 0);
    CHECK(fs.remove("/") == 1);
    CHECK(fs.size() == 1);
    CHECK(fs.exists("/"));
  }

  TEST_CASE("summary nodes stand for whole subtrees") {
    Vfs fs;
    fs.put("/app/node_modules", summary_node(21'100'000, 42, 2, "npm ci"));
    fs.put("/app/node_modules/.package-lock.json", file_node("{}", 2));
    CHECK(fs.size_under("/app/node_modules") == 21'100'002);
    const FileNode* nm = fs.find("/app/node_modules");
    REQUIRE(nm);
    CHECK(nm->summary);
    CHECK(nm->estimated);
    CHECK(nm->is_dir());
  }

  TEST_CASE("replacing a directory by a file drops the directory's subtree; a file in the way becomes a dir") {
    Vfs fs;
    fs.put("/x/y", file_node("abc", 1));
    fs.put("/x", file_node("file", 2));
    CHECK_FALSE(fs.exists("/x/y"));
    CHECK(fs.find("/x")->is_file());
    fs.put("/x/z", file_node("q", 3));
    CHECK(fs.find("/x")->is_dir());
    CHECK(fs.exists("/x/z"));
  }

  TEST_CASE("apply replays changes in order") {
    Vfs fs;
    fs.put("/a/old", file_node("old", 1));
    std::vector<FileChange> ch;
    ch.push_back({FileChange::Op::Remove, "/a", {}});
    ch.push_back({FileChange::Op::Put, "/a", dir_node(2)});
    ch.push_back({FileChange::Op::Put, "/a/new", file_node("new", 2)});
    fs.apply(ch);
    CHECK_FALSE(fs.exists("/a/old"));
    CHECK(fs.exists("/a/new"));
    CHECK(fs.find("/a")->layer == 2);
  }

  TEST_CASE("mkdir_p sets the owner on created directories only") {
    Vfs fs;
    fs.mkdir_p("/home", 0);
    fs.mkdir_p("/home/node/app", 4, 1000, 1000);
    CHECK(fs.find("/home")->uid == 0);
    CHECK(fs.find("/home/node")->uid == 1000);
    CHECK(fs.find("/home/node/app")->layer == 4);
  }

  TEST_CASE("symlinks and hashes") {
    FileNode l = symlink_node("../lib/x", 1);
    CHECK(l.is_symlink());
    CHECK(l.link == "../lib/x");
    CHECK(hash_combine(1, 2) != hash_combine(2, 1));
    CHECK(hash_combine(1, "a") != hash_combine(1, "b"));
  }
  TEST_CASE("the fingerprint identifies the whole tree whatever the order of the changes") {
    Vfs a, b;
    a.put("/app/a.txt", file_node("A", 1));
    a.put("/app/b.txt", file_node("B", 1));
    a.mkdir_p("/var/cache", 1);
    b.mkdir_p("/var/cache", 1);
    b.put("/app/b.txt", file_node("B", 1));
    b.put("/app/a.txt", file_node("A", 1));
    CHECK(a.fingerprint() == b.fingerprint());
    CHECK(a.fingerprint() != Vfs().fingerprint());
    // Kept up to date once asked for, or computed when first asked for: the same value.
    Vfs tracked;
    tracked.fingerprint();
    Vfs lazy;
    for (Vfs* v : {&tracked, &lazy}) {
      v->put("/app/a.txt", file_node("old", 1));
      v->mkdir_p("/var/cache", 1);
      v->put("/app/b.txt", file_node("B", 1));
      v->put("/app/a.txt", file_node("A", 1));
      v->put("/tmp/x", file_node("x", 1));
      v->remove("/tmp");
    }
    CHECK(tracked.fingerprint() == lazy.fingerprint());
    CHECK(tracked.fingerprint() == a.fingerprint());

    // Any field of any node counts: content, mode, owner, layer, summary source.
    Vfs c = a;
    CHECK(c.fingerprint() == a.fingerprint());
    c.put("/app/a.txt", file_node("a", 1));
    CHECK(c.fingerprint() != a.fingerprint());
    c.put("/app/a.txt", file_node("A", 1));
    CHECK(c.fingerprint() == a.fingerprint());
    c.put("/app/a.txt", file_node("A", 1, 0755));
    CHECK(c.fingerprint() != a.fingerprint());
    c = a;
    c.put("/app/a.txt", file_node("A", 2));
    CHECK(c.fingerprint() != a.fingerprint());
    Vfs s1, s2;
    s1.put("/usr/lib", summary_node(100, 7, 0, "catalog"));
    s2.put("/usr/lib", summary_node(100, 7, 0, "estimate"));
    CHECK(s1.fingerprint() != s2.fingerprint());
    // A generated file's hash is an identity: the text itself is part of the fingerprint.
    FileNode x = file_node("one", 1), y = file_node("two", 1);
    y.hash = x.hash;
    Vfs g1, g2;
    g1.put("/f", x);
    g2.put("/f", y);
    CHECK(g1.fingerprint() != g2.fingerprint());

    // Removing what was added gives the earlier fingerprint back; so does replacing a directory
    // by a file (its subtree goes) compared with building that state directly.
    Vfs d = a;
    d.put("/tmp/x/y/z", file_node("z", 1));
    d.remove("/tmp");
    CHECK(d.fingerprint() == a.fingerprint());
    Vfs e = a;
    e.put("/app", file_node("now a file", 1));
    Vfs f;
    f.put("/app", file_node("now a file", 1));
    f.mkdir_p("/var/cache", 1);
    CHECK(e.fingerprint() == f.fingerprint());
    // A file in the way of mkdir_p becomes a directory.
    Vfs h1, h2;
    h1.put("/a", file_node("f", 1));
    h1.mkdir_p("/a/b", 1);
    h2.mkdir_p("/a/b", 1);
    CHECK(h1.fingerprint() == h2.fingerprint());
  }

  TEST_CASE("put reports what it replaced") {
    Vfs fs;
    Vfs::Replaced r;
    fs.put("/a", file_node("12345", 2), &r);
    CHECK_FALSE(r.existed);
    fs.put("/a", file_node("x", 3), &r);
    CHECK(r.existed);
    CHECK(r.type == NodeType::File);
    CHECK(r.layer == 2);
    CHECK(r.size == 5);
    fs.put("/d", summary_node(10, 1, 4, "s"));
    fs.put("/d", dir_node(5), &r);
    CHECK(r.existed);
    CHECK(r.summary);
    CHECK(r.size == 10);
  }
}
