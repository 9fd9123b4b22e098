#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

namespace {

Step python_image() {
  Step s;
  s.env = {{"PYTHON_VERSION", "3.12.7"}, {"PATH", "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"}};
  return s;
}

Vfs py_project() {
  Vfs fs;
  add_file(fs, "/app/requirements.txt",
           "# web\nflask==3.0.3\nrequests==2.32.3  # http\nnumpy==1.26.4\n\ngunicorn==22.0.0\n--index-url https://pypi.org/simple\n");
  add_file(fs, "/app/app.py", "print('hi')\n");
  return fs;
}

}  // namespace

TEST_SUITE("effects.python") {
  TEST_CASE("pip install -r requirements.txt sizes each package and keeps the cache") {
    Vfs fs = py_project();
    Effect e = run(fs, "pip install -r requirements.txt", python_image());
    CHECK_FALSE(e.unknown);
    CHECK_FALSE(e.would_fail);
    const std::string site = "/usr/local/lib/python3.12/site-packages";
    REQUIRE(put_of(e, site + "/flask"));
    CHECK(put_of(e, site + "/flask")->node.size == 4'900'000);
    CHECK(put_of(e, site + "/requests")->node.size == 3'200'000);
    CHECK(put_of(e, site + "/numpy")->node.size == 75'000'000);
    CHECK(put_of(e, site + "/gunicorn")->node.size == 3'000'000);
    CHECK(put_of(e, "/root/.cache/pip"));
    CHECK(has_note(e, "--no-cache-dir"));
    CHECK(e.output_key != 0);  // all pinned
    Effect nc = run(fs, "pip install --no-cache-dir -r requirements.txt", python_image());
    CHECK_FALSE(put_of(nc, "/root/.cache/pip"));
    Step env = python_image();
    env.env.emplace_back("PIP_NO_CACHE_DIR", "1");
    CHECK_FALSE(put_of(run(fs, "pip install -r requirements.txt", env), "/root/.cache/pip"));
    CHECK(run(fs, "pip install flask", python_image()).output_key == 0);  // unpinned
    CHECK(has_failure(run(fs, "pip install -r missing.txt", python_image()), "could not open requirements file"));
  }

  TEST_CASE("--user, --target, venvs and python -m pip") {
    Vfs fs = py_project();
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nappuser:x:1000:1000::/home/appuser:/bin/sh\n");
    Step u = python_image();
    u.user = "appuser";
    Effect user = run(fs, "", Step{.env = u.env, .user = "appuser", .exec_args = {"pip", "install", "--user", "-r", "requirements.txt"}});
    CHECK(put_of(user, "/home/appuser/.local/lib/python3.12/site-packages/flask"));
    CHECK(put_of(user, "/home/appuser/.cache/pip"));
    Effect t = run(fs, "pip install --target /deps flask==3.0.3", python_image());
    CHECK(put_of(t, "/deps/flask"));
    Effect v = run(fs, "python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt", python_image());
    CHECK(put_of(v, "/opt/venv"));
    CHECK(put_of(v, "/opt/venv/lib/python3.12/site-packages/numpy"));
    CHECK(has_tool(v, "python -m venv"));
    // The venv on PATH (ENV PATH=/opt/venv/bin:$PATH) makes plain pip install into it.
    Vfs with_venv = after(fs, run(fs, "python -m venv /opt/venv", python_image()));
    Step p = python_image();
    p.env[1].second = "/opt/venv/bin:" + p.env[1].second;
    CHECK(put_of(run(with_venv, "pip install --no-cache-dir flask==3.0.3", p), "/opt/venv/lib/python3.12/site-packages/flask"));
    CHECK(put_of(run(fs, "python -m pip install --no-cache-dir requests==2.32.3", python_image()),
                 "/usr/local/lib/python3.12/site-packages/requests"));
  }

  TEST_CASE("Debian's system Python refuses pip installs (PEP 668)") {
    Vfs fs = py_project();
    Effect e = run(fs, "pip3 install flask");
    CHECK(e.would_fail);
    CHECK(has_failure(e, "externally-managed-environment"));
    CHECK_FALSE(run(fs, "pip3 install --break-system-packages flask").would_fail);
    CHECK_FALSE(run(fs, "python3 -m venv /v && /v/bin/pip install flask").would_fail);
  }

  TEST_CASE("python scripts are unknown; version queries are not") {
    Vfs fs = py_project();
    CHECK(run(fs, "python app.py", python_image()).unknown);
    CHECK_FALSE(run(fs, "python --version", python_image()).unknown);
    CHECK(has_failure(run(fs, "python missing.py", python_image()), "can't open file"));
  }

  TEST_CASE("pip cache purge and pip install --upgrade pip") {
    Vfs fs = after(py_project(), run(py_project(), "pip install -r requirements.txt", python_image()));
    Effect p = run(fs, "pip cache purge", python_image());
    CHECK(removes(p, "/root/.cache/pip"));
    Effect u = run(fs, "pip install --no-cache-dir --upgrade pip", python_image());
    CHECK(put_of(u, "/usr/local/lib/python3.12/site-packages/pip"));
  }
}
