namespace Misalignment.Eval;

/// <summary>Checks base URLs before they are used: spec strings and endpoints are written into results and logs, so none may carry a credential.</summary>
internal static class ProviderEndpoints
{
    public static Uri Check(string text, string source)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new MisalignmentEvalException($"{source} is not an http(s) URL.");
        }

        return uri.UserInfo.Length > 0 || uri.Query.Length > 0
            ? throw new MisalignmentEvalException($"{source} must not carry credentials or a query string in its URL; keys come from the provider's key variable.")
            : uri;
    }
}
