package dev.rotor.oauth.authorize;

/** How the authorization response travels to the client (OAuth 2.0 Multiple Response Types, Form Post Response Mode). */
public enum ResponseMode {
    /** Parameters in the redirect URI's query: a 303 redirect. */
    QUERY,
    /** Parameters POSTed by the browser from an auto-submitting form: they stay out of the URL, history and logs. */
    FORM_POST;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
