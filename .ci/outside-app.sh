#!/usr/bin/env bash
# Tractable from outside the repository, as a user meets it:
#  1. packs the library (Tractable) and the tool (Tractable.Cli) into a local folder feed;
#  2. creates a fresh console app in a temporary folder, adds the packed Tractable package from that feed, puts the
#     code of samples/TrainOwnData in it, builds and runs it (trains a few steps, log-probabilities, samples);
#  3. does the same with a project reference to src/Tractable/Tractable.csproj instead of the package;
#  4. builds samples/TrainOwnData as it stands in the repository;
#  5. installs the packed tool with `dotnet tool install --tool-path` and runs `tractable --help`.
# Nothing of the repository's Directory.Build.* reaches these apps, so what they need must come with the package
# or the project. Exits non-zero at the first failure. OUTSIDE_APP_STEPS sets the training steps (default 100).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
steps=${OUTSIDE_APP_STEPS:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/tractable-outside.XXXXXX")
# A version of its own, so that the global packages folder never serves a package packed by an earlier run.
version="0.0.0-ci.$(date +%Y%m%d%H%M%S).$$"
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
cleanup() { rm -rf "$work" "$packages/tractable/$version" "$packages/tractable.cli/$version"; }
trap cleanup EXIT
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start=$SECONDS
phase() { echo "== outside-app: $* (at $((SECONDS - start)) s)"; }

# Runs the app built in $1 (a folder) and checks that it trained, scored and sampled.
run_app() {
  local dir=$1 log="$1/run.log"
  (cd "$dir" && dotnet run --no-build -c "$2" -- "$steps") 2>&1 | tee "$log"
  grep -q "^trained $steps steps" "$log"
  grep -Eq "^test NLL: -?[0-9]+\.[0-9]+ ± [0-9]+\.[0-9]+ nats per row" "$log"
  grep -Eq "^log p of a typical row: -?[0-9]" "$log"
  grep -Eq "^sample 4: " "$log"
  if grep -Eq "NaN|∞|Infinity" "$log"; then echo "non-finite value in the output of $dir" >&2; return 1; fi
}

phase "dotnet pack Tractable and Tractable.Cli $version into $work/feed"
dotnet pack "$repo/src/Tractable" -c Release -o "$work/feed" -p:Version="$version" -v:q
dotnet pack "$repo/src/Tractable.Cli" -c Release -o "$work/feed" -p:Version="$version" -v:q

phase "fresh console app with a PackageReference to Tractable"
mkdir "$work/app"
cd "$work/app"
dotnet new console --framework net10.0 --name OwnData --output . >/dev/null
# The local feed next to the machine's usual package sources.
cat > nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="tractable-local" value="$work/feed" />
  </packageSources>
</configuration>
EOF
dotnet add package Tractable --version "$version" >/dev/null
cp "$repo/samples/TrainOwnData/Program.cs" Program.cs
dotnet build -c Release -v:q
run_app "$work/app" Release

phase "fresh console app with a ProjectReference to src/Tractable/Tractable.csproj"
mkdir "$work/projref"
cd "$work/projref"
dotnet new console --framework net10.0 --name OwnDataFromSource --output . >/dev/null
dotnet add reference "$repo/src/Tractable/Tractable.csproj" >/dev/null
cp "$repo/samples/TrainOwnData/Program.cs" Program.cs
dotnet build -c Debug -v:q
run_app "$work/projref" Debug

phase "samples/TrainOwnData builds in place"
dotnet build "$repo/samples/TrainOwnData" -v:q

phase "dotnet tool install Tractable.Cli --tool-path, tractable --help"
dotnet tool install Tractable.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed"
"$work/tools/tractable" --help | tee "$work/help.txt"
grep -q "train" "$work/help.txt"

phase "passed"
