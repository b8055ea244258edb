#!/bin/sh
# Pushes HEAD to a branch of this repository with the token in GH_TOKEN; when the push is rejected because
# the branch moved, fetches it, rebases onto it and tries again (5 attempts). Runs git only: no project code
# (npm, node, tests) ever runs with the token. Writes the pushed commit to $GITHUB_OUTPUT as sha=<commit>.
# A rebase that conflicts stops with an error: re-run the release on the new main.
set -eu
branch="$1"
url="https://x-access-token:${GH_TOKEN}@github.com/${GITHUB_REPOSITORY}.git"
attempt=1
while [ "$attempt" -le 5 ]; do
  if git push "$url" "HEAD:refs/heads/$branch"; then
    echo "sha=$(git rev-parse HEAD)" >> "${GITHUB_OUTPUT:-/dev/null}"
    exit 0
  fi
  echo "push to $branch rejected (attempt $attempt): rebasing onto it"
  git fetch "$url" "$branch"
  if ! git rebase FETCH_HEAD; then
    git rebase --abort
    echo "::error::$branch changed the same files meanwhile; re-run the release on the new $branch"
    exit 1
  fi
  sleep $((attempt * 5))
  attempt=$((attempt + 1))
done
echo "::error::could not push to $branch after 5 attempts"
exit 1
