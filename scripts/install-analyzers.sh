#!/usr/bin/env bash
# Installs the static analyzers SecCoder runs (bandit, cppcheck, clang, gcc, flawfinder) from apt,
# on Debian or Ubuntu, without questions, and for the tests redis-server, which the queue tests start on free loopback ports
# (it is not left running: each test file starts and stops its own), and chromium, which the corpus page's browser tests
# drive headless through puppeteer-core (never a downloaded browser). Packages already installed are left alone, so a second run only checks.
# Bandit is not patched on disk: src/analyze/bandit-runner.py fixes bandit 1.6.2's skipped string
# checks (SQL injection B608 and others) at run time; this script checks that the fix works.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
packages=(bandit cppcheck clang gcc flawfinder)
# The image (Dockerfile) needs only the analyzers: ANALYZERS_ONLY=1 leaves Redis and Chromium out.
[[ ${ANALYZERS_ONLY:-} == 1 ]] || packages+=(redis-server chromium)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  if ! command -v apt-get >/dev/null; then
    echo "install-analyzers: apt-get not found; install ${missing[*]} with your package manager" >&2
    exit 1
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "install-analyzers: ${missing[*]} missing, and installing needs root or sudo" >&2
      exit 1
    fi
    sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
  fi
  echo "install-analyzers: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
fi

# Debian's bandit runs on the system Python, which may not be the python3 first on PATH (pyenv, venv).
python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import bandit' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [[ -z $python ]]; then
  echo "install-analyzers: bandit is installed but no python3 can import it" >&2
  exit 1
fi

# The wrapper must make bandit see SQL built from strings (bandit 1.6.2 alone does not on Python 3.8+).
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' 'def find(cursor, v):' '    cursor.execute("SELECT * FROM t WHERE x = '"'"'%s'"'"'" % v)' >"$probe/probe.py"
report=$("$python" src/analyze/bandit-runner.py -f json -q "$probe/probe.py" || true)
if ! grep -q '"test_id": "B608"' <<<"$report"; then
  echo "install-analyzers: bandit-runner.py did not report B608 on a known SQL injection; bandit output:" >&2
  echo "$report" | head -20 >&2
  exit 1
fi

bandit_version=$("$python" src/analyze/bandit-runner.py --version 2>/dev/null | head -1)
cppcheck_version=$(cppcheck --version)
clang_version=$(clang --version | head -1)
gcc_version=$(gcc --version | head -1)
flawfinder_version=$(flawfinder --version)
echo "install-analyzers: ready: ${bandit_version} (${python}, B608 check ok); ${cppcheck_version}; ${clang_version}; ${gcc_version}; flawfinder ${flawfinder_version}"
