using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace Misalignment.Eval.Running;

/// <summary>
/// Caches a model's responses in an <see cref="IDistributedCache"/> (the cache abstraction that Microsoft.Extensions.AI's
/// caching uses). The key holds the model, the prompts, the sample index and the seed, so every sample stays an
/// independent draw (sample 2 never reuses sample 1's answer); failures are never cached.
/// </summary>
internal sealed class CachingChatModel : IChatModel
{
    private readonly IChatModel _inner;
    private readonly IDistributedCache _cache;
    private readonly string _settings;

    /// <summary>Creates the cache.</summary>
    /// <param name="inner">The model.</param>
    /// <param name="cache">The cache store.</param>
    /// <param name="settings">Anything else that changes answers (temperature, max tokens), part of the key.</param>
    public CachingChatModel(IChatModel inner, IDistributedCache cache, string settings = "")
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(cache);
        _inner = inner;
        _cache = cache;
        _settings = settings ?? string.Empty;
    }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <summary>Cache hits so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    private int _hits;

    /// <inheritdoc/>
    public async Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string key = Key(request);
        byte[]? cached = await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null && Deserialize(cached) is { } hit)
        {
            Interlocked.Increment(ref _hits);
            return hit;
        }

        var response = await _inner.RespondAsync(request, cancellationToken).ConfigureAwait(false);
        await _cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(RecordMapping.ToRecorded(response), CacheJson), new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
        return response;
    }

    private static readonly JsonSerializerOptions CacheJson = new(JsonSerializerDefaults.Web);

    private string Key(ModelRequest request)
    {
        var prompt = request.Prompt;
        string material = string.Join(
            "\n\u0000\n",
            Name,
            _settings,
            prompt.ConditionId,
            prompt.Options.ToolMode.ToString(),
            string.Join(",", prompt.Tools.Select(t => t.Name)),
            prompt.SystemPrompt,
            prompt.UserMessage,
            request.SampleIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        return "misalign:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(material))).ToLowerInvariant();
    }

    private static ModelResponse? Deserialize(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<RecordedResponse>(bytes, CacheJson) is { } recorded ? RecordMapping.ToResponse(recorded) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
