using Anthropic;
using Anthropic.Bedrock;
using Anthropic.Vertex;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>Claude through Anthropic's SDKs: the Anthropic API, Amazon Bedrock and Google Vertex AI, all as the SDK's own <see cref="IChatClient"/>.</summary>
internal static class AnthropicProviders
{
    public const string BedrockAccessKey = "AWS_ACCESS_KEY_ID";

    public const string BedrockSecretKey = "AWS_SECRET_ACCESS_KEY";

    public const string AwsRegion = "AWS_REGION";

    public const string VertexProject = "ANTHROPIC_VERTEX_PROJECT_ID";

    public const string VertexRegion = "CLOUD_ML_REGION";

    /// <summary>A ready OAuth access token for Vertex (e.g. from <c>gcloud auth print-access-token</c>); without it, Google's application default credentials apply.</summary>
    public const string VertexAccessToken = "GOOGLE_OAUTH_ACCESS_TOKEN";

    public static IChatClient Anthropic(ProviderRequest request)
    {
        string baseUrl = (request.Spec.Endpoint ?? KnownProviders.Anthropic.DefaultEndpoint!).ToString().TrimEnd('/');
        return Adapt(new AnthropicClient { ApiKey = request.Key!, MaxRetries = 0, Timeout = request.SdkTimeout, BaseUrl = baseUrl, Handlers = request.Handlers }, request);
    }

    public static IChatClient Bedrock(ProviderRequest request)
    {
        string region = request.Environment(AwsRegion) is { Length: > 0 } r ? r : request.Environment("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
            : throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs the Bedrock region in the environment variable {AwsRegion}, e.g. us-east-1.");
        IAnthropicBedrockCredentials credentials = request.Key is { } token
            ? new AnthropicBedrockApiTokenCredentials { BearerToken = token, Region = region }
            : request.Environment(BedrockAccessKey) is { Length: > 0 } accessKey && request.Environment(BedrockSecretKey) is { Length: > 0 } secret
                ? new AnthropicBedrockPrivateKeyCredentials { ApiAccessKey = accessKey, ApiSecret = secret, Region = region }
                : throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs a Bedrock API key in the environment variable {KnownProviders.Bedrock.KeyVariable}, or {BedrockAccessKey} and {BedrockSecretKey}.");
        IAnthropicClient client = new AnthropicBedrockClient(credentials);
        var endpoint = request.Spec.Endpoint;
        client = client.WithOptions(o => o with { MaxRetries = 0, Timeout = request.SdkTimeout, BaseUrl = endpoint?.ToString().TrimEnd('/') ?? o.BaseUrl, Handlers = request.Handlers });
        return Adapt(client, request);
    }

    public static IChatClient Vertex(ProviderRequest request)
    {
        string project = request.Environment(VertexProject) is { Length: > 0 } p ? p : request.Environment("GOOGLE_CLOUD_PROJECT") is { Length: > 0 } g ? g
            : throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs the Google Cloud project in the environment variable {VertexProject}.");
        string? region = request.Environment(VertexRegion) is { Length: > 0 } r ? r : null;
        GoogleCredential credential;
        try
        {
            credential = request.Environment(VertexAccessToken) is { Length: > 0 } token ? GoogleCredential.FromAccessToken(token) : GoogleCredential.GetApplicationDefault();
        }
        catch (InvalidOperationException)
        {
            throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs Google credentials: set {KnownProviders.Vertex.KeyVariable} (a service-account file), run 'gcloud auth application-default login', or set {VertexAccessToken}.");
        }

        var credentials = new AnthropicVertexCredentials(region, project, credential);

        // The client derives its base URL from the region in its constructor; an override must be set after it.
        var client = request.Spec.Endpoint is { } endpoint
            ? new AnthropicVertexClient(credentials) { MaxRetries = 0, Timeout = request.SdkTimeout, BaseUrl = endpoint.ToString().TrimEnd('/'), Handlers = request.Handlers }
            : new AnthropicVertexClient(credentials) { MaxRetries = 0, Timeout = request.SdkTimeout, Handlers = request.Handlers };
        return Adapt(client, request);
    }

    private static AnthropicOptionsChatClient Adapt(IAnthropicClient client, ProviderRequest request) =>
        new AnthropicOptionsChatClient(client.AsIChatClient(request.Spec.Model, ProviderFactory.AnthropicDefaultMaxTokens), request.Spec.Model, ProviderFactory.AnthropicDefaultMaxTokens, request.Spec.Route.ThinkingBudget, request.PromptCache);
}
