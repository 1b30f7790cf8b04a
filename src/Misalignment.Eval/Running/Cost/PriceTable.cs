using System.Globalization;
using System.Text.Json;

namespace Misalignment.Eval.Running;

/// <summary>
/// One model's prices in USD per million tokens, and the fraction a provider's batch API takes off
/// (<c>0.5</c>: half price).
/// </summary>
internal sealed record ModelPrice(double Input, double? CachedInput, double? CacheWrite, double Output, double? BatchDiscount, string? Source)
{
    /// <summary>
    /// The cost of a sample's calls from their usage. <paramref name="inputTokens"/> is all input (as Anthropic's SDK
    /// and OpenAI's <c>prompt_tokens</c> report it); the cache reads and writes are parts of it: the rest is priced at
    /// <see cref="Input"/>, reads at <see cref="CachedInput"/>, writes at <see cref="CacheWrite"/> (each at
    /// <see cref="Input"/> when the table has no such rate), output at <see cref="Output"/>; a batched sample's cost
    /// is then reduced by <see cref="BatchDiscount"/>. Unknown counts cost nothing.
    /// </summary>
    public double Cost(long? inputTokens, long? outputTokens, long? cachedInputTokens = null, long? cacheWriteTokens = null, bool batched = false)
    {
        long cached = Math.Max(0, cachedInputTokens ?? 0);
        long written = Math.Max(0, cacheWriteTokens ?? 0);
        long uncached = Math.Max(0, (inputTokens ?? 0) - cached - written);
        double usd = ((uncached * Input) + (cached * (CachedInput ?? Input)) + (written * (CacheWrite ?? Input)) + ((outputTokens ?? 0) * Output)) / 1_000_000d;
        return batched && BatchDiscount is { } discount ? usd * (1 - discount) : usd;
    }

    /// <summary>The cost of a sample's recorded usage (<see cref="Cost(long?, long?, long?, long?, bool)"/>).</summary>
    public double Cost(Microsoft.Extensions.AI.UsageDetails usage, bool batched)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Cost(usage.InputTokenCount, usage.OutputTokenCount, usage.CachedInputTokenCount, PromptCacheUsage.CacheWriteTokens(usage), batched);
    }
}

/// <summary>
/// The price table: the shipped, dated defaults (<c>Running/Cost/prices.json</c>) with a file's entries laid over
/// them. A model spec finds its price by the model name after the provider prefix: exactly, else the longest entry
/// that starts it followed by <c>-</c> (so <c>anthropic:claude-opus-4-20250514</c> finds <c>claude-opus-4</c>).
/// </summary>
internal sealed class PriceTable
{
    private const string ResourceName = "Misalignment.Eval.Prices/prices.json";

    private readonly Dictionary<string, ModelPrice> _prices;

    private PriceTable(Dictionary<string, ModelPrice> prices, string asOf)
    {
        _prices = prices;
        AsOf = asOf;
    }

    /// <summary>The date of the defaults (or of the override file when it names one).</summary>
    public string AsOf { get; }

    /// <summary>The models priced, by entry name.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Entries => _prices;

    /// <summary>The shipped defaults.</summary>
    public static PriceTable Default { get; } = LoadDefaults();

    /// <summary>The defaults with the entries of a JSON file (the shape of the shipped file) laid over them.</summary>
    /// <exception cref="MisalignmentEvalException">The file cannot be read or is not a price table.</exception>
    public static PriceTable WithFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisalignmentEvalException($"--prices: cannot read '{path}': {e.Message}", e);
        }

        var (extra, asOf) = Parse(text, path);
        var merged = new Dictionary<string, ModelPrice>(Default._prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, price) in extra)
        {
            merged[name] = price;
        }

        return new PriceTable(merged, asOf ?? Default.AsOf);
    }

    /// <summary>The price of a model spec, or <see langword="null"/> when it has none.</summary>
    public ModelPrice? Find(string modelSpec)
    {
        if (_prices.TryGetValue(modelSpec, out var exact))
        {
            return exact;
        }

        string name = ModelName(modelSpec);
        if (_prices.TryGetValue(name, out var byName))
        {
            return byName;
        }

        return _prices.Where(p => name.StartsWith(p.Key + "-", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length).Select(p => p.Value).FirstOrDefault();
    }

    /// <summary>The model name of a spec: after <c>#</c> (an endpoint's model) or after the provider's <c>:</c>.</summary>
    internal static string ModelName(string spec)
    {
        int hash = spec.LastIndexOf('#');
        if (hash >= 0)
        {
            return spec[(hash + 1)..];
        }

        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? spec[(colon + 1)..] : spec;
    }

    private static PriceTable LoadDefaults()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded price table '{ResourceName}' is missing.");
        using var reader = new StreamReader(stream);
        var (prices, asOf) = Parse(reader.ReadToEnd(), "the shipped price table");
        return new PriceTable(prices, asOf ?? "unknown");
    }

    private static (Dictionary<string, ModelPrice> Prices, string? AsOf) Parse(string text, string origin)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            string? asOf = root.TryGetProperty("as_of", out var date) ? date.GetString() : null;
            var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Object)
            {
                throw new MisalignmentEvalException($"{origin}: a price table needs a \"models\" object (model name -> {{\"input\", \"output\", ...}} in USD per million tokens).");
            }

            foreach (var entry in models.EnumerateObject())
            {
                var m = entry.Value;
                double input = Required(m, "input", entry.Name, origin);
                double output = Required(m, "output", entry.Name, origin);
                double? discount = Number(m, "batch_discount", entry.Name, origin);
                if (discount is { } d && !(d is >= 0 and < 1))
                {
                    throw new MisalignmentEvalException(string.Create(CultureInfo.InvariantCulture, $"{origin}: the model '{entry.Name}' has \"batch_discount\" {d}; it is the fraction a batch takes off (0.5 for half price), from 0 up to but not 1."));
                }

                prices[entry.Name] = new ModelPrice(input, Rate(m, "cached_input", entry.Name, origin), Rate(m, "cache_write", entry.Name, origin), output, discount,
                    m.TryGetProperty("source", out var source) ? source.GetString() : null);
            }

            return (prices, asOf);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new MisalignmentEvalException($"{origin}: not a price table: {e.Message}", e);
        }
    }

    private static double Required(JsonElement model, string field, string name, string origin) =>
        Optional(model, field) is { } value && value >= 0 && double.IsFinite(value)
            ? value
            : throw new MisalignmentEvalException(string.Create(CultureInfo.InvariantCulture, $"{origin}: the model '{name}' needs \"{field}\" (USD per million tokens, at least 0)."));

    private static double? Rate(JsonElement model, string field, string name, string origin) =>
        Number(model, field, name, origin) is not { } value ? null
        : value >= 0 && double.IsFinite(value) ? value
        : throw new MisalignmentEvalException(string.Create(CultureInfo.InvariantCulture, $"{origin}: the model '{name}' has \"{field}\" {value}; a rate is USD per million tokens, at least 0 (or null when not known)."));

    /// <summary>An optional number: absent or null is <see langword="null"/>, anything but a number an error naming the model and key.</summary>
    private static double? Number(JsonElement model, string field, string name, string origin) =>
        !model.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw new MisalignmentEvalException($"{origin}: the model '{name}' has \"{field}\" {value.GetRawText()}; expected a number or null.");

    private static double? Optional(JsonElement model, string field) =>
        model.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
