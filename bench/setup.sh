# setup.sh: sourced first by every bench/*.sh script. It stops the script on
# any error, moves to the module's root and sets py to Debian's interpreter,
# where apt installs torch, scipy and sklearn (not the python3 first in PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$(basename "$0")
py=/usr/bin/python3

# need_python MODULES PACKAGES stops the script unless $py imports MODULES
# (comma-separated), naming the Debian PACKAGES that provide them.
need_python() {
	if ! "$py" -c "import $1" 2>/dev/null; then
		echo "$name: $py cannot import $1: apt-get install $2" >&2
		exit 1
	fi
}

# output_dir "$@" sets out to the script's one optional argument, OUTDIR
# (created if need be, kept afterwards), or to a temporary folder removed
# when the script exits.
output_dir() {
	if [ $# -gt 1 ]; then
		echo "usage: bench/$name [OUTDIR]" >&2
		exit 2
	fi
	if [ $# -eq 1 ]; then
		out=$1
		mkdir -p "$out"
	else
		out=$(mktemp -d)
		trap 'rm -rf "$out"' EXIT
	fi
}
