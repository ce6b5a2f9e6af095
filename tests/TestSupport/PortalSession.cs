using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SupplierAssure.TestSupport;

/// <summary>A signed-in browser-like client of the Portal test server: cookies, anti-forgery tokens, parsed pages.</summary>
public sealed class PortalSession : IDisposable
{
    private static readonly HtmlParser Parser = new();

    private PortalSession(HttpClient client) => Client = client;

    public HttpClient Client { get; }

    public static PortalSession Anonymous(PortalFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new PortalSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
    }

    public static async Task<PortalSession> SignInAsync(PortalFactory factory, string email, string password = PortalFactory.DemoPassword)
    {
        var session = Anonymous(factory);
        var response = await session.SignInAttemptAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        }

        return session;
    }

    public async Task<HttpResponseMessage> SignInAttemptAsync(string email, string password, string? returnUrl = null)
    {
        var token = await GetTokenAsync("/Account/Login");
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return await Client.PostAsync(new Uri("/Account/Login", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    public async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetPageAsync(string path)
    {
        var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        return (response, Parser.ParseDocument(html));
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The anti-forgery token of the first form on <paramref name="path"/>.</summary>
    public async Task<string> GetTokenAsync(string path)
    {
        var (response, document) = await GetPageAsync(path);
        response.EnsureSuccessStatusCode();
        return document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no anti-forgery token.");
    }

    /// <summary>Posts <paramref name="fields"/> (plus the anti-forgery token of the page at <paramref name="path"/>) as a form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, string? tokenFrom = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var token = await GetTokenAsync(tokenFrom ?? path.Split('?')[0]);
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        using var content = new FormUrlEncodedContent(all);
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public void Dispose() => Client.Dispose();
}
