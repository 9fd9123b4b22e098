using MyApp.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<GreetingService>();

var app = builder.Build();
app.MapGet("/", (GreetingService greeter) => greeter.Greet("world"));
app.MapGet("/healthz", () => Results.Ok("healthy"));
app.Run();
