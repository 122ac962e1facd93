# Shared by bin/run and bin/test: find Python 3.12+, make the virtualenv, install requirements.
# shellcheck shell=bash

find_python() {
    local candidate version
    for candidate in python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
            version=$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
            if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
                echo "$candidate"
                return 0
            fi
            echo "found $candidate ($version), which is too old" >&2
        fi
    done
    echo "error: Python 3.12 or newer is needed and none was found." >&2
    echo "       Install python3.12 (or select it with pyenv: the repository's .python-version asks for 3.12)." >&2
    return 1
}

# ensure_venv REQUIREMENTS_FILE: create .venv if needed and install what the file lists.
ensure_venv() {
    local requirements=$1 python
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
        python=$(find_python) || exit 1
        echo "==> creating .venv with $python"
        rm -rf .venv
        "$python" -m venv .venv
    fi
    local stamp=".venv/.installed-$(basename "$requirements")"
    if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
        echo "==> installing $requirements"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
            | grep -v 'is ignored' || true
        touch "$stamp"
    fi
}

# Debian packages, installed only when missing (needs root, as on a fresh machine).
ensure_apt() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> apt-get install ${missing[*]}"
        if [ "$(id -u)" -ne 0 ]; then
            echo "error: installing ${missing[*]} needs root (sudo $0)" >&2
            exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
    fi
}
