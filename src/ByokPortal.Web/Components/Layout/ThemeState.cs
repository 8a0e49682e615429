using MudBlazor;

namespace ByokPortal.Web.Components.Layout;

/// <summary>Light or dark, remembered in a cookie (read at the first request, written from the browser when toggled).</summary>
public sealed class ThemeState
{
    public const string CookieName = "byokportal.theme";

    public bool IsDark { get; set; }

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0969da",
            AppbarBackground = "#24292f",
            AppbarText = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#58a6ff",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "280px" },
    };
}
