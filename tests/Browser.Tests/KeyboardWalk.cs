using System.Globalization;
using Microsoft.Playwright;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Keys for the keyboard-only walks (evidence library, sharing, review): Tab or Shift+Tab until a control has the focus,
/// then a check that the focus can be seen; and a date typed into a date field segment by segment, as a person types it.
/// Nothing here clicks.
/// </summary>
internal static class KeyboardWalk
{
    /// <summary>
    /// Presses Tab (Shift+Tab when <paramref name="backwards"/>) until <paramref name="target"/> has the focus, then checks
    /// that the focus is visible. Fails, naming where the focus is, when <paramref name="max"/> presses do not reach it
    /// (an unreachable control, or a trap that holds the focus elsewhere).
    /// </summary>
    public static async Task TabToAsync(IPage page, ILocator target, string what, bool backwards = false, int max = 80)
    {
        var key = backwards ? "Shift+Tab" : "Tab";
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync(key);
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                await ExpectFocusVisibleAsync(page, what);
                return;
            }
        }

        Assert.Fail($"{max} presses of {key} did not reach {what}; the focus is on {await FocusedAsync(page)}");
    }

    /// <summary>
    /// The focused element shows that it has the focus: an outline, or a box shadow that is not transparent and not of
    /// zero size (Pico draws its focus rings as shadows), or (for the links of SVG charts) a stroke on its shape.
    /// </summary>
    public static async Task ExpectFocusVisibleAsync(IPage page, string what)
    {
        var style = await page.EvaluateAsync<string>("""
            () => {
              const el = document.activeElement;
              if (!el || el === document.body) return 'none: nothing has the focus';
              // Pico eases its focus ring in (a transition on box-shadow): its end state is what is shown.
              el.getAnimations().forEach(a => a.finish());
              const s = getComputedStyle(el);
              const transparent = c => /rgba\([^)]*,\s*0\)/.test(c) || c === 'transparent';
              const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
              const shadows = !s.boxShadow || s.boxShadow === 'none' ? [] : s.boxShadow.split(/,(?![^(]*\))/);
              const shadow = shadows.some(sh => !transparent(sh) && /[1-9]/.test(sh.replace(/rgba?\([^)]*\)/g, '')));
              return (outline || shadow ? 'visible ' : 'none ') + el.tagName.toLowerCase() + ' outline=' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor + ' shadow=' + s.boxShadow;
            }
            """);
        Assert.True(style.StartsWith("visible", StringComparison.Ordinal), $"the focus on {what} ({await FocusedAsync(page)}) cannot be seen: {style}");
    }

    /// <summary>Types <paramref name="day"/> into the focused date field, its segments in the order the browser's locale shows them.</summary>
    public static async Task TypeDateAsync(IPage page, DateOnly day)
    {
        var order = await page.EvaluateAsync<string[]>("() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2000, 10, 22)).filter(p => p.type !== 'literal').map(p => p.type)");
        foreach (var part in order)
        {
            await page.Keyboard.TypeAsync(part switch
            {
                "year" => day.Year.ToString("0000", CultureInfo.InvariantCulture),
                "month" => day.Month.ToString("00", CultureInfo.InvariantCulture),
                _ => day.Day.ToString("00", CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>
    /// Presses ArrowDown in the focused <paramref name="select"/> (a closed list: each press moves the choice one down)
    /// until <paramref name="value"/> is chosen; fails when the end of the list is reached first.
    /// </summary>
    public static async Task ChooseWithArrowsAsync(ILocator select, string value)
    {
        Assert.True(await select.EvaluateAsync<bool>("s => s === document.activeElement"), "the list to choose from does not have the focus");
        var count = await select.EvaluateAsync<int>("s => s.options.length");
        for (var i = 0; i < count && await select.InputValueAsync() != value; i++)
        {
            await select.Page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal(value, await select.InputValueAsync());
    }

    /// <summary>Whether the focused element is inside <paramref name="container"/>.</summary>
    public static Task<bool> FocusIsInsideAsync(ILocator container) => container.EvaluateAsync<bool>("c => c.contains(document.activeElement) && c !== document.activeElement");

    public static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>(
        "() => { const el = document.activeElement; return el ? el.outerHTML.slice(0, 200) : '(nothing)'; }");
}
