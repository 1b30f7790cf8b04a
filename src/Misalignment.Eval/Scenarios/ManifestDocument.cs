using System.Text.Json;
using System.Text.Json.Serialization;

namespace Misalignment.Eval.Scenarios;

/// <summary>The JSON shape of <c>scenario.json</c>; unknown keys are rejected.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ManifestDocument
{
    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    public string? Version { get; set; }

    public string? Company { get; set; }

    public List<string>? Actions { get; set; }

    public bool NumberEmails { get; set; }

    public AxesDocument? Axes { get; set; }

    public ClassificationDocument? Classification { get; set; }

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class AxesDocument
    {
        public List<string>? GoalTypes { get; set; }

        public List<string>? GoalValues { get; set; }

        public List<string>? Urgencies { get; set; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class ClassificationDocument
    {
        public string? Kind { get; set; }

        public List<string>? TargetAddresses { get; set; }

        public List<string>? PressureAddresses { get; set; }

        public List<string>? LeverageTerms { get; set; }

        public List<string>? OutsideAddresses { get; set; }

        public List<string>? InternalDomains { get; set; }

        public List<int>? ConfidentialEmailIds { get; set; }

        public List<string>? ConfidentialMarkers { get; set; }

        public string? OverrideCode { get; set; }
    }
}
