# Sourced by the bench scripts: sign_in BASE_URL COOKIE_JAR signs in as the demo admin the way a
# browser does (the login form with its CSRF cookie pair) and prints the session token.
sign_in() {
    local base=$1 jar=$2 page csrf
    page=$(curl -fs -c "$jar" "$base/login")
    csrf=$(printf '%s' "$page" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
    curl -fs -b "$jar" -c "$jar" -o /dev/null \
      --data-urlencode "email=nkechi.adeyemi@alderbrook.example" --data-urlencode "password=bridge-demo-2026" \
      --data-urlencode "_csrf=$csrf" --data-urlencode "next=/" "$base/login"
    awk '$6 == "bridge_session" {print $7}' "$jar"
}
