#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 to build the venv with, or explains what to install and fails.
# Order: the version in .python-version under pyenv, then python3.13 / python3.12 / python3 on PATH.
set -u
want=$(cat "$(dirname "$0")/../.python-version" 2>/dev/null || echo "")
candidates=()
if [[ -n $want ]]; then
  candidates+=("${PYENV_ROOT:-$HOME/.pyenv}/versions/$want/bin/python")
  command -v pyenv >/dev/null 2>&1 && candidates+=("$(pyenv root)/versions/$want/bin/python")
fi
candidates+=(python3.13 python3.12 python3)
for c in "${candidates[@]}"; do
  p=$(command -v "$c" 2>/dev/null) || continue
  if "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$p"; exit 0
  fi
done
cat >&2 <<MSG
prokuratura needs Python 3.12 or newer (Django 6.1), and none was found.
Tried: ${candidates[*]}
Install one, for example:  pyenv install ${want:-3.13.0}   or   apt-get install python3.13 python3.13-venv
MSG
exit 1
