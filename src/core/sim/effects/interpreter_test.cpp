// The RUN effect engine: shell semantics, file utilities, users, downloads, annotations, mounts,
// output keys, robustness and speed.
#include "sim/effects.h"

#include <doctest/doctest.h>

#include <chrono>

#include "sim/effects/internal.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

TEST_SUITE("effects") {
  TEST_CASE("unknown commands are flagged, sized 0 and have no output key") {
    Vfs fs;
    Effect e = run(fs, "frobnicate --all && ./configure-something");
    CHECK(e.unknown);
    // Unknown is not absent: frobnicate may have written ./configure-something, so running it is
    // unknown too, not a failure.
    CHECK(e.unknown_commands == std::vector<std::string>{"frobnicate", "./configure-something"});
    CHECK_FALSE(e.would_fail);
    CHECK(e.changes.empty());
    CHECK(e.layer_bytes == 0);
    CHECK(e.output_key == 0);
    // Where they most likely wrote: the working directory.
    CHECK(e.unknown_paths == std::vector<std::string>{"/app"});
    // A path command that certainly does not exist (nothing unmodelled ran before) fails.
    Effect f = run(fs, "./configure-something");
    CHECK(has_failure(f, "./configure-something: not found"));
  }

  TEST_CASE("rm -rf removes, mkdir -p creates, cd changes the directory for later commands") {
    Vfs fs;
    add_file(fs, "/app/tmp/a", std::string(100, 'x'));
    add_file(fs, "/app/keep", "k");
    Effect e = run(fs, "rm -rf /app/tmp && mkdir -p /srv/data/x && cd /srv && touch data/f.txt");
    CHECK_FALSE(e.unknown);
    CHECK(removes(e, "/app/tmp"));
    CHECK(e.removed_bytes == 100);
    Vfs out = after(fs, e);
    CHECK_FALSE(out.exists("/app/tmp/a"));
    CHECK(out.exists("/app/keep"));
    CHECK(out.find("/srv/data/x")->is_dir());
    CHECK(out.find("/srv/data/f.txt")->is_file());
    CHECK(out.find("/srv/data/f.txt")->layer == 7);
    CHECK(has_tool(e, "rm"));
    CHECK(has_tool(e, "mkdir"));
  }

  TEST_CASE("rm without -f on a missing file, mkdir without -p on a missing parent, cd to a missing dir fail") {
    Vfs fs;
    CHECK(has_failure(run(fs, "rm /nope"), "cannot remove '/nope'"));
    CHECK_FALSE(run(fs, "rm -f /nope").would_fail);
    CHECK(has_failure(run(fs, "mkdir /a/b"), "cannot create directory"));
    CHECK(has_failure(run(fs, "cd /nowhere && touch x"), "cd: /nowhere"));
  }

  TEST_CASE("&& stops after a failure, || runs the fallback, ; always continues") {
    Vfs fs;
    Vfs out = after(fs, run(fs, "false && touch /a; true || touch /b; false || touch /c; touch /d"));
    CHECK_FALSE(out.exists("/a"));
    CHECK_FALSE(out.exists("/b"));
    CHECK(out.exists("/c"));
    CHECK(out.exists("/d"));
  }

  TEST_CASE("echo, printf and heredocs write known content") {
    Vfs fs;
    Effect e = run(fs, "echo hello > /greeting && printf '%s-%s\\n' a b >> /greeting && cat <<EOF > /etc/app.conf\nport=$PORT\nEOF",
                   Step{.env = {{"PORT", "8080"}}});
    Vfs out = after(fs, e);
    REQUIRE(out.find("/greeting"));
    CHECK(*out.find("/greeting")->content == "hello\na-b\n");
    REQUIRE(out.find("/etc/app.conf"));
    CHECK(*out.find("/etc/app.conf")->content == "port=8080\n");
    CHECK(e.output_key != 0);
    CHECK_FALSE(e.non_reproducible);
    // tee from a pipe.
    Vfs t = after(fs, run(fs, "echo abc | tee /x /y"));
    CHECK(*t.find("/x")->content == "abc\n");
    CHECK(*t.find("/y")->content == "abc\n");
  }

  TEST_CASE("date into a file is non-reproducible") {
    Vfs fs;
    Effect e = run(fs, "date > /build-time");
    CHECK(e.non_reproducible);
    CHECK(e.output_key == 0);
    CHECK(put_of(e, "/build-time"));
    Effect e2 = run(fs, "echo \"built at $(date)\" > /info");
    CHECK(e2.non_reproducible);
    Effect e3 = run(fs, "date");
    CHECK_FALSE(e3.non_reproducible);
  }

  TEST_CASE("env prefixes apply to one command, export to the rest") {
    Vfs fs;
    Vfs out = after(fs, run(fs, "A=1 true; echo \"a=$A\" > /one; export B=2; echo \"b=$B\" > /two; C=3; echo $C > /three"));
    CHECK(*out.find("/one")->content == "a=\n");
    CHECK(*out.find("/two")->content == "b=2\n");
    CHECK(*out.find("/three")->content == "3\n");
  }

  TEST_CASE("subshells keep their cd; set -eux; if, for and case are followed") {
    Vfs fs;
    add_file(fs, "/app/web/index.html", "<html/>");
    Effect e = run(fs,
                   "set -eux; (cd web && touch built) && touch root-file; "
                   "if [ -f web/index.html ]; then touch yes; else touch no; fi; "
                   "for d in a b; do mkdir -p out/$d; done; "
                   "case \"$TARGETARCH\" in amd64) touch x86 ;; arm64) touch arm ;; esac",
                   Step{.env = {{"TARGETARCH", "arm64"}}});
    Vfs out = after(fs, e);
    CHECK(out.exists("/app/web/built"));
    CHECK(out.exists("/app/root-file"));
    CHECK(out.exists("/app/yes"));
    CHECK_FALSE(out.exists("/app/no"));
    CHECK(out.exists("/app/out/a"));
    CHECK(out.exists("/app/out/b"));
    CHECK(out.exists("/app/arm"));
    CHECK_FALSE(out.exists("/app/x86"));
  }

  TEST_CASE("sh -c, bash scripts from the filesystem, functions and eval are followed") {
    Vfs fs;
    add_file(fs, "/app/build.sh", "#!/bin/sh\nmkdir -p /out && echo ok > /out/status\n", 0755);
    add_file(fs, "/app/noexec.sh", "#!/bin/sh\ntouch /z\n", 0644);
    Vfs out = after(fs, run(fs, "sh -c 'touch /a' && ./build.sh && bash noexec.sh && f() { touch /fn; }; f; eval touch /ev"));
    CHECK(out.exists("/a"));
    CHECK(*out.find("/out/status")->content == "ok\n");
    CHECK(out.exists("/z"));
    CHECK(out.exists("/fn"));
    CHECK(out.exists("/ev"));
    CHECK(has_failure(run(fs, "./noexec.sh"), "permission denied"));
  }

  TEST_CASE("cp, mv, ln, install") {
    Vfs fs;
    fs.mkdir_p("/etc", 0);
    add_file(fs, "/app/src/a.txt", "aaa");
    add_file(fs, "/app/src/sub/b.txt", "bb");
    add_file(fs, "/app/conf.ini", "x=1");
    Effect e = run(fs, "cp -r src /out && cp conf.ini /etc/ && mv /out/a.txt /out/renamed.txt && ln -s /out/renamed.txt /link && install -m 755 conf.ini /usr/local/bin/tool");
    Vfs out = after(fs, e);
    CHECK(*out.find("/out/sub/b.txt")->content == "bb");
    CHECK(out.exists("/etc/conf.ini"));
    CHECK_FALSE(out.exists("/out/a.txt"));
    CHECK(*out.find("/out/renamed.txt")->content == "aaa");
    CHECK(out.find("/link")->is_symlink());
    CHECK(out.find("/link")->link == "/out/renamed.txt");
    CHECK(out.find("/usr/local/bin/tool")->mode == 0755);
    CHECK(has_failure(run(fs, "cp /missing /x"), "cannot stat"));
    CHECK(has_failure(run(fs, "cp src /x"), "-r not specified"));
    CHECK(has_failure(run(fs, "cp conf.ini /nodir/"), "not a directory"));
    // cp -r dir/. dest copies the contents.
    Vfs c2 = after(fs, run(fs, "cp -r src/. /dst"));
    CHECK(c2.exists("/dst/a.txt"));
    CHECK(c2.exists("/dst/sub/b.txt"));
  }

  TEST_CASE("chown -R rewrites the whole tree into the new layer (dive's classic waste)") {
    Vfs fs;
    fs.put("/app/node_modules", summary_node(50'000'000, 9, 3, "npm ci"));
    add_file(fs, "/app/server.js", std::string(1000, 's'));
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/bash\n");
    add_file(fs, "/etc/group", "root:x:0:\nnode:x:1000:\n");
    Effect e = run(fs, "chown -R node:node /app");
    CHECK(e.layer_bytes >= 50'001'000);
    Vfs out = after(fs, e);
    CHECK(out.find("/app/node_modules")->uid == 1000);
    CHECK(out.find("/app/server.js")->gid == 1000);
    CHECK(out.find("/app/server.js")->layer == 7);
    CHECK(has_note(e, "chown -R rewrites"));
    CHECK(has_failure(run(fs, "chown nobody /app"), "invalid user"));
    // chmod also copies files up.
    Effect m = run(fs, "chmod +x /app/server.js");
    CHECK(after(fs, m).find("/app/server.js")->mode == 0755);
    CHECK(m.layer_bytes == 1000);
    CHECK(after(fs, run(fs, "chmod -R go-w,u=rwx /app/server.js")).find("/app/server.js")->mode == 0744);
  }

  TEST_CASE("useradd, adduser, groupadd write /etc/passwd and the home directory") {
    Vfs fs;
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    add_file(fs, "/etc/group", "root:x:0:\n");
    Effect e = run(fs, "groupadd -r app && useradd -r -g app -m -d /home/app app && useradd --create-home appuser");
    CHECK_FALSE(e.would_fail);
    Vfs out = after(fs, e);
    std::string passwd = *out.find("/etc/passwd")->content;
    CHECK(passwd.find("app:x:999:999::/home/app:/bin/sh") != std::string::npos);
    CHECK(passwd.find("appuser:x:1000:1000::/home/appuser:/bin/sh") != std::string::npos);
    CHECK(out.find("/home/appuser")->uid == 1000);
    CHECK(out.exists("/home/appuser/.bashrc"));
    CHECK(has_failure(run(out, "useradd appuser"), "already exists"));
    // Alpine: busybox adduser/addgroup; useradd needs the shadow package.
    Step alpine{.os_family = "alpine", .package_manager = "apk"};
    Effect b = run(fs, "addgroup -S app && adduser -S -G app -h /srv app", alpine);
    CHECK_FALSE(b.would_fail);
    CHECK(after(fs, b).find("/etc/passwd")->content->find("app:x:100:") != std::string::npos);
    CHECK(has_failure(run(fs, "useradd bob", alpine), "apk add shadow"));
    CHECK_FALSE(run(fs, "apk add --no-cache shadow && useradd bob", alpine).would_fail);
  }

  TEST_CASE("USER: a RUN runs as that user; an unknown user fails when /etc/passwd is known") {
    Vfs fs;
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/sh\n");
    fs.mkdir_p("/app", 0);
    Effect e = run(fs, "touch /app/f && echo $HOME > /app/home", Step{.user = "node"});
    Vfs out = after(fs, e);
    CHECK(out.find("/app/f")->uid == 1000);
    CHECK(*out.find("/app/home")->content == "/home/node\n");
    CHECK(has_failure(run(fs, "true", Step{.user = "ghost"}), "unable to find user ghost"));
  }

  TEST_CASE("curl and wget downloads are estimated and flagged; curl | sh is unknown") {
    Vfs fs;
    Effect e = run(fs, "curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz && wget -q https://example.com/x.bin");
    const FileChange* t = put_of(e, "/tmp/tool.tgz");
    REQUIRE(t);
    CHECK(t->node.estimated);
    CHECK(t->node.size > 0);
    CHECK(t->node.source.find("size unknown") != std::string::npos);
    CHECK(put_of(e, "/app/x.bin"));
    CHECK(e.estimated);
    CHECK(e.output_key == 0);  // network content
    Effect sh = run(fs, "curl -fsSL https://get.example.com | sh");
    CHECK(sh.unknown);
    Effect tar = run(fs, "curl -fsSL https://example.com/node.tar.gz | tar -xz -C /opt");
    CHECK(put_of(tar, "/opt"));
    CHECK(put_of(tar, "/opt")->node.summary);
    CHECK_FALSE(tar.unknown);
  }

  TEST_CASE("tar and unzip of an archive in the filesystem") {
    Vfs fs;
    FileNode archive;
    archive.size = 10'000'000;
    archive.hash = 77;
    fs.put("/tmp/go1.22.linux-amd64.tar.gz", archive);
    fs.mkdir_p("/usr/local/bin", 0);
    Effect e = run(fs, "tar -C /usr/local -xzf /tmp/go1.22.linux-amd64.tar.gz && rm /tmp/go1.22.linux-amd64.tar.gz");
    const FileChange* p = put_of(e, "/usr/local/go1.22.linux-amd64");
    REQUIRE(p);
    CHECK(p->node.size == 25'000'000);
    CHECK(removes(e, "/tmp/go1.22.linux-amd64.tar.gz"));
    CHECK(has_failure(run(fs, "tar xf /nope.tar"), "cannot open"));
  }

  TEST_CASE("git clone is estimated") {
    Vfs fs;
    Effect e = run(fs, "git clone --depth 1 https://github.com/x/repo.git && git -C repo rev-parse HEAD");
    const FileChange* p = put_of(e, "/app/repo");
    REQUIRE(p);
    CHECK(p->node.summary);
    CHECK(p->node.estimated);
    CHECK(e.output_key == 0);
  }

  TEST_CASE("annotations override recognition; modifiers adjust it") {
    Vfs fs;
    Annotation a;
    a.paths.push_back({AnnotatedPath::Kind::Add, "node_modules", 180'000'000u, false});
    a.paths.push_back({AnnotatedPath::Kind::Remove, "/tmp/junk", std::nullopt, false});
    a.seconds = 45;
    add_file(fs, "/tmp/junk/x", "x");
    Effect e = run(fs, "some-custom-installer --fast", Step{.annotation = &a});
    CHECK(e.annotated);
    CHECK_FALSE(e.unknown);
    const FileChange* nm = put_of(e, "/app/node_modules");
    REQUIRE(nm);
    CHECK(nm->node.size == 180'000'000u);
    CHECK_FALSE(nm->node.estimated);
    CHECK(removes(e, "/tmp/junk"));
    CHECK(e.seconds_cold == doctest::Approx(45));
    CHECK(e.output_key != 0);

    Annotation nr;
    nr.non_reproducible = true;
    Effect m = run(fs, "echo hi > /x", Step{.annotation = &nr});
    CHECK(m.non_reproducible);
    CHECK(m.output_key == 0);
    CHECK(put_of(m, "/x"));  // recognition still ran

    Annotation nothing;
    nothing.nothing = true;
    Effect z = run(fs, "frobnicate", Step{.annotation = &nothing});
    CHECK(z.changes.empty());
    CHECK_FALSE(z.unknown);
  }

  TEST_CASE("exec form runs argv without a shell; no shell means shell form fails") {
    Vfs fs;
    Effect e = run(fs, "", Step{.exec_args = {"mkdir", "-p", "/data/$HOME"}});
    CHECK(after(fs, e).exists("/data/$HOME"));  // no variable expansion in exec form
    Effect s = run(fs, "", Step{.exec_args = {"/bin/sh", "-c", "touch /x && touch /y"}});
    CHECK(after(fs, s).exists("/y"));
    Effect d = run(fs, "touch /x", Step{.has_shell = false});
    CHECK(d.would_fail);
    CHECK(has_failure(d, "no shell"));
    CHECK(d.changes.empty());
  }

  TEST_CASE("shell syntax errors fail the step") {
    Vfs fs;
    Effect e = run(fs, "echo 'oops");
    CHECK(e.would_fail);
    CHECK(has_failure(e, "unterminated single quote"));
  }

  TEST_CASE("cache mounts take the writes under them; bind mounts are readable but not kept") {
    Vfs ctx;
    add_file(ctx, "/package.json", R"({"dependencies":{"a":"1"}})");
    add_file(ctx, "/package-lock.json", R"({"lockfileVersion":3,"packages":{"":{},"node_modules/a":{}}})");
    Vfs fs;
    fs.mkdir_p("/app", 0);
    Step s;
    s.mounts.push_back({MountInfo::Kind::Cache, "/root/.npm", nullptr, "/", false});
    s.mounts.push_back({MountInfo::Kind::Bind, "package.json", &ctx, "/package.json", true});
    s.mounts.push_back({MountInfo::Kind::Bind, "package-lock.json", &ctx, "/package-lock.json", true});
    s.mounts.push_back({MountInfo::Kind::Tmpfs, "/tmp", nullptr, "/", false});
    Effect e = run(fs, "npm ci && touch /tmp/scratch", s);
    CHECK_FALSE(e.would_fail);
    CHECK(put_of(e, "/app/node_modules"));
    CHECK_FALSE(put_of(e, "/app/package.json"));
    CHECK(written_under(e, "/root/.npm") == 0);
    CHECK(written_under(e, "/tmp") == 0);
    CHECK(e.cache_bytes > 0);
    CHECK(e.seconds_warm_mount < e.seconds_cold);
  }

  TEST_CASE("the hidden-base view: a removed directory re-created in the same RUN hides its old content") {
    Vfs fs;
    add_file(fs, "/data/old.txt", "old");
    Effect e = run(fs, "rm -rf /data && mkdir /data && echo new > /data/new.txt && ls /data/old.txt && cat /data/old.txt");
    CHECK(has_failure(e, "cat: /data/old.txt"));
    Vfs out = after(fs, e);
    CHECK_FALSE(out.exists("/data/old.txt"));
    CHECK(out.exists("/data/new.txt"));
  }

  TEST_CASE("robustness: huge, deep or hostile scripts stay bounded") {
    Vfs fs;
    std::string many;
    for (int i = 0; i < 6000; ++i) many += "touch /f" + std::to_string(i % 50) + "; ";
    Effect e = run(fs, many);
    CHECK(has_note(e, "too many commands"));
    std::string deep(20000, '(');
    CHECK(run(fs, deep).would_fail);
    Vfs s;
    add_file(s, "/app/loop.sh", "sh /app/loop.sh\n", 0755);
    Effect r = run(s, "sh loop.sh");
    CHECK(has_note(r, "nested too deeply"));
    std::string forever = "for i in $(seq 1 100000); do touch /x$i; done";
    CHECK_FALSE(run(fs, forever).would_fail);
    CHECK(run(fs, "while true; do sleep 1; done").seconds_cold < 10);
  }

  TEST_CASE("run_script follows BuildKit's heredoc rule") {
    CHECK(run_script("<<EOF", {{"EOF", "apt-get update\nuname -a\n", false}}) == "apt-get update\nuname -a\n");
    CHECK(run_script("<<-EOF", {{"EOF", "\techo a\n", true}}) == "echo a\n");
    CHECK(run_script("cat <<EOF > /x", {{"EOF", "body\n", false}}) == "cat <<EOF > /x\nbody\nEOF");
    CHECK(run_script("npm ci", {}) == "npm ci");
    Vfs fs;
    Effect e = run(fs, run_script("cat <<EOF > /etc/motd", {{"EOF", "hello\n", false}}));
    CHECK(*after(fs, e).find("/etc/motd")->content == "hello\n");
  }

  TEST_CASE("more file tools: find -delete, sed -i, gzip, wget -O-, usermod, printf") {
    Vfs fs;
    add_file(fs, "/app/a.pyc", "x");
    add_file(fs, "/app/pkg/b.pyc", "y");
    add_file(fs, "/app/pkg/c.py", "z");
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    add_file(fs, "/etc/nginx.conf", "listen 80;\n");
    add_file(fs, "/data.txt", std::string(2500, 'd'));
    Effect f = run(fs, "find /app -name '*.pyc' -delete");
    CHECK(removes(f, "/app/a.pyc"));
    CHECK(removes(f, "/app/pkg/b.pyc"));
    CHECK_FALSE(removes(f, "/app/pkg/c.py"));
    CHECK(run(fs, "find / -name '*.py' -exec chmod 600 {} +").unknown);
    CHECK_FALSE(run(fs, "find /app -type f").unknown);
    Effect s = run(fs, "sed -i 's/80/8080/' /etc/nginx.conf");
    const FileChange* conf = put_of(s, "/etc/nginx.conf");
    REQUIRE(conf);
    CHECK(conf->node.hash != content_hash("listen 80;\n"));
    CHECK(conf->node.hash != 0);
    Effect z = run(fs, "gzip /data.txt");
    CHECK(put_of(z, "/data.txt.gz"));
    CHECK(put_of(z, "/data.txt.gz")->node.size == 1000);
    CHECK(removes(z, "/data.txt"));
    CHECK(run(fs, "wget -qO- https://get.example.com/install.sh | sh").unknown);
    CHECK(put_of(run(fs, "usermod -aG root root"), "/etc/passwd"));
    CHECK(*after(fs, run(fs, "printf '%s=%s\\n' a 1 b 2 > /kv")).find("/kv")->content == "a=1\nb=2\n");
  }

  TEST_CASE("human_size") {
    CHECK(detail::human_size(512) == "512 B");
    CHECK(detail::human_size(1500) == "1.5 kB");
    CHECK(detail::human_size(21'100'000) == "21.1 MB");
    CHECK(detail::human_size(36'049'999) == "36.0 MB");
    CHECK(detail::human_size(1'500'000'000) == "1.50 GB");
    CHECK(detail::human_size(999'999) == "1000.0 kB");
  }

  TEST_CASE("simulate_run on the seed's commands: the same effect every time (its time is printed)") {
    for (const SeedCase& k : seed_cases()) {
      Effect warm = run(k.fs, k.command, k.step);  // warm-up (manifest and script caches)
      CHECK_FALSE(warm.unknown);
      CHECK_FALSE(warm.would_fail);
      CHECK(!warm.changes.empty());
      const int n = 500;
      size_t sink = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < n; ++i) sink += run(k.fs, k.command, k.step).changes.size();
      double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / n;
      CHECK(sink == warm.changes.size() * n);
      // Printed, not asserted (a loaded machine failed a 200 us bound at 227 us): the figures are
      // measured by bench/ (sim_bench) and written in docs/effects.md.
      MESSAGE(k.command << ": " << us << " us");
    }
  }
}
