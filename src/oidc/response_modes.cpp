#include "oidc/response_modes.h"

#include "core/http/middleware.h"

namespace pocketid::oidc {

namespace {

// base64(SHA-256("document.forms[0].submit()")): the inline script of the form_post page.
constexpr std::string_view kFormPostScriptHash = "'sha256-ePniVEkSivX/c7XWBGafqh8tSpiRrKiqYeqbG7N1TOE='";

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

void NoStore(http::Response& res) {
  res.headers.Set("Cache-Control", "no-store");
  res.headers.Set("Pragma", "no-cache");
}

// form-action gains the redirect URI and script-src the page's script hash.
std::string FormPostCsp(const std::string& nonce, const std::string& redirect_uri) {
  std::string csp = http::ContentSecurityPolicy(nonce);
  const std::string form_action = "form-action 'self'";
  if (auto pos = csp.find(form_action); pos != std::string::npos) {
    csp.insert(pos + form_action.size(), " " + redirect_uri);
  }
  csp += " ";
  csp += kFormPostScriptHash;
  return csp;
}

}  // namespace

Form ErrorParams(const OAuthError& error, const std::string& state, const std::string& issuer) {
  Form params;
  params.Add("error", error.error);
  params.Add("error_description", error.FullDescription());
  params.Add("state", state);
  params.Add("iss", issuer);
  return params;
}

std::string FormPostPage(const std::string& action, const Form& params) {
  std::string html = "<!DOCTYPE html>\n<html>\n<head><title>Submit This Form</title></head>\n<body>\n";
  html += "<form method=\"post\" action=\"" + HtmlEscape(action) + "\">\n";
  for (const auto& [k, v] : params.pairs()) {
    html += "<input type=\"hidden\" name=\"" + HtmlEscape(k) + "\" value=\"" + HtmlEscape(v) + "\"/>\n";
  }
  html += "<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n";
  html += "<script>document.forms[0].submit()</script>\n</body>\n</html>\n";
  return html;
}

http::Response RespondToClient(const http::Request& req, const ClientRedirect& target, Form params) {
  std::string_view uri = target.redirect_uri;
  uri = uri.substr(0, uri.find('#'));
  size_t q = uri.find('?');
  std::string_view base = uri.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : uri.substr(q + 1);

  if (target.response_mode == "form_post") {
    http::Response res{200, {}, FormPostPage(std::string(uri), params)};
    res.headers.Add("Content-Type", "text/html;charset=UTF-8");
    res.headers.Add("Content-Security-Policy", FormPostCsp(req.csp_nonce, std::string(uri)));
    NoStore(res);
    return res;
  }
  std::string location(base);
  if (target.response_mode == "fragment") {
    if (!query.empty()) location.append("?").append(query);
    location.append("#").append(params.Encode());
  } else {
    Form merged;
    merged.AddEncoded(query);
    for (const auto& [k, v] : params.pairs()) merged.Set(k, v);
    location.append("?").append(merged.Encode());
  }
  http::Response res = http::Response::Redirect(303, std::move(location));
  NoStore(res);
  return res;
}

}  // namespace pocketid::oidc
