using Microsoft.EntityFrameworkCore;
using MyApp.Models;

namespace MyApp.Endpoints;

public static class ProductEndpoints
{
    public static void MapProductEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/products");

        group.MapGet("/", async (CatalogDb db) => await db.Products.AsNoTracking().ToListAsync());

        group.MapGet("/{id:int}", async (int id, CatalogDb db) =>
            await db.Products.FindAsync(id) is { } product ? Results.Ok(product) : Results.NotFound());

        group.MapPost("/", async (Product product, CatalogDb db) =>
        {
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return Results.Created($"/products/{product.Id}", product);
        });
    }
}
