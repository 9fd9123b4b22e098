using Microsoft.EntityFrameworkCore;
using MyApp.Endpoints;
using MyApp.Models;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

builder.Host.UseSerilog((context, logger) => logger.ReadFrom.Configuration(context.Configuration));
builder.Services.AddDbContext<CatalogDb>(options => options.UseInMemoryDatabase("catalog"));
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();

var app = builder.Build();

if (app.Environment.IsDevelopment())
{
    app.UseSwagger();
    app.UseSwaggerUI();
}

app.UseSerilogRequestLogging();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapProductEndpoints();

app.Run();
